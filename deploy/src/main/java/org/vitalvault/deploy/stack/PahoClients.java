package org.vitalvault.deploy.stack;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Helpers for the Paho clients of the simulator and the benchmarks. */
public final class PahoClients {

    private PahoClients() {
    }

    /** Disconnects (if connected) and closes; a client that is going away anyway may fail quietly. */
    public static void closeQuietly(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close();
        } catch (MqttException ignored) {
            // shutting down anyway
        }
    }
}
