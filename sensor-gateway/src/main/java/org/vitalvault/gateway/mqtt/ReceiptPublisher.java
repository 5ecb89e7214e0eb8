package org.vitalvault.gateway.mqtt;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;
import org.vitalvault.gateway.ingest.Receipt;
import org.vitalvault.wire.Topics;

/**
 * Publishes receipts on a connection of its own, with clean start and no session.
 *
 * <p>Why not on the ingest connection: that one keeps a persistent session, so after a reconnect
 * Paho 1.2.5 resends its in-flight QoS 1 publishes as they were sent, with a topic alias and no
 * topic name; the new connection has no such alias and the broker disconnects the client, again
 * and again (eclipse-paho/paho.mqtt.java#1104). The ingest connection therefore never publishes.
 * Here a lost connection just loses the receipts in flight, which is what receipts may do: the next
 * receipt for the device says everything the lost one said.
 */
public final class ReceiptPublisher {

    private static final Logger LOG = Logger.getLogger(ReceiptPublisher.class);

    private final MqttIngestClient.Settings settings;
    private final ReceiptJson receiptJson = new ReceiptJson();
    private volatile MqttAsyncClient client;
    /** In-flight publishes at which the client last refused one; learned, since the broker sets it. */
    private volatile int window = Integer.MAX_VALUE;

    /** @param settings the receipt connection's own ({@link MqttIngestClient.Settings#forReceipts}) */
    public ReceiptPublisher(MqttIngestClient.Settings settings) {
        this.settings = settings;
    }

    /** Connects in the background; receipts are skipped until the connection stands. */
    public void start() throws MqttException {
        client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
        MqttConnectionOptions options = settings.connectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        connectInBackground(options);
    }

    private void connectInBackground(MqttConnectionOptions options) {
        MqttAsyncClient c = client;
        Thread t = new Thread(() -> {
            try {
                FirstConnect.connect(c, options, () -> client != null, f -> LOG.debugf(
                        "receipt connection to %s not up yet (%s)", settings.url(), f.cause().getMessage()));
            } catch (InterruptedException e) {
                // Stopped while waiting to try again.
            }
        }, "receipt-connect");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Publishes a receipt to {@code receipts/{deviceId}} with QoS 1 (format: {@link ReceiptJson})
     * without waiting. Returns false when it could not be handed to the client (disconnected,
     * in-flight window full).
     */
    public boolean publish(Receipt receipt) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return false;
        }
        // Under full load the window of unacknowledged receipts fills up; once we know its size,
        // skip the attempt before paying for the JSON, the token and the exception.
        if (c.getInFlightMessageCount() >= window) {
            return false;
        }
        try {
            MqttMessage message = new MqttMessage(receiptJson.encode(receipt), 1, false, new MqttProperties());
            message.getProperties().setContentType("application/json");
            c.publish(Topics.receipts(receipt.deviceId()), message);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                window = Math.max(1, c.getInFlightMessageCount());
            }
            return false;
        }
    }

    public void stop() {
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000).waitForCompletion(3_000);
            }
            c.close(true);
        } catch (MqttException e) {
            LOG.debugf("receipt connection close: %s", e.getMessage());
        }
    }
}
