package org.vitalvault.gateway.mqtt;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The first connection of a Paho client, retried with backoff (0.5 s doubling to 10 s): the gateway
 * may start before its broker. Paho's automatic reconnect takes over only once a connection has
 * stood, so both of the gateway's connections need this.
 */
final class FirstConnect {

    private static final long FIRST_DELAY_MILLIS = 500;
    private static final long MAX_DELAY_MILLIS = 10_000;

    private FirstConnect() {
    }

    /**
     * Tries until connected or {@code keepTrying} says stop.
     *
     * @param onFailure told of every failed attempt and the delay before the next, for logging
     * @return true when connected
     * @throws InterruptedException when the thread is interrupted while waiting to try again
     */
    static boolean connect(MqttAsyncClient client, MqttConnectionOptions options, BooleanSupplier keepTrying,
                           Consumer<Failure> onFailure) throws InterruptedException {
        long delay = FIRST_DELAY_MILLIS;
        while (keepTrying.getAsBoolean()) {
            try {
                client.connect(options).waitForCompletion(15_000);
                return true;
            } catch (MqttException e) {
                onFailure.accept(new Failure(e, delay));
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
            }
        }
        return false;
    }

    /** A failed attempt and how long until the next. */
    record Failure(MqttException cause, long retryInMillis) {
    }
}
