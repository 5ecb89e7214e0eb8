package org.vitalvault.vault.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;
import org.vitalvault.mqtt.MqttSockets;
import org.vitalvault.mqtt.TlsFiles;

/**
 * Mosquitto's dynamic-security plugin over MQTT 5 (Paho): per request it connects as the vault's
 * admin client, subscribes to the response topic, publishes the commands ({@link DynsecCommands})
 * and waits for the response carrying its correlation data ({@link DynsecReply}).
 *
 * <p>A connection per request rather than one kept open: requests are rare (pairings, unpairings),
 * a broker restart needs no reconnect logic, and nothing stale is ever reused. Requests of this
 * process take turns, because under {@code use_username_as_clientid} two connections with the same
 * user name would take each other over.
 */
public final class MosquittoProvisioner implements BrokerProvisioner {

    private static final Logger LOG = Logger.getLogger(MosquittoProvisioner.class);

    /**
     * Where and as whom to connect; the password is never printed.
     *
     * @param sockets TLS sockets (host name verified) for an ssl:// URL, plain ones for tcp://
     */
    public record Settings(String url, String username, String password, Duration timeout, SocketFactory sockets) {

        /** Without TLS files: the JDK's default trust for an ssl:// URL. */
        public Settings(String url, String username, String password, Duration timeout) {
            this(url, username, password, timeout, MqttSockets.forUrl(url, TlsFiles.none("vitalvault.broker.tls"), 0));
        }

        @Override
        public String toString() {
            return "Settings[" + url + ", " + username + "]";
        }
    }

    private final Settings settings;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public MosquittoProvisioner(Settings settings) {
        this.settings = settings;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void provision(UUID deviceId, String credential) throws ProvisioningException {
        String correlation = UUID.randomUUID().toString();
        DynsecReply reply = request(DynsecCommands.provision(deviceId, credential, correlation), 2, correlation);
        String error = reply.firstError();
        if (error != null) {
            throw new ProvisioningException("the broker refused device " + deviceId + " (" + error + ")", true, null);
        }
    }

    @Override
    public void deprovision(UUID deviceId) throws ProvisioningException {
        String correlation = UUID.randomUUID().toString();
        DynsecReply reply = request(DynsecCommands.deprovision(deviceId, correlation), 2, correlation);
        String error = reply.firstErrorOfDeletion();
        if (error != null) {
            throw new ProvisioningException("the broker refused to delete device " + deviceId + " (" + error + ")",
                    true, null);
        }
    }

    private DynsecReply request(String commands, int count, String correlation) throws ProvisioningException {
        oneAtATime.lock();
        MqttClient client = null;
        boolean sent = false;
        try {
            BlockingQueue<DynsecReply> replies = new LinkedBlockingQueue<>();
            client = new MqttClient(settings.url(), settings.username(), new MemoryPersistence());
            client.setTimeToWait(settings.timeout().toMillis());
            client.setCallback(new Responses(correlation, count, replies));
            client.connect(options());
            IMqttToken subscribed = client.subscribe(DynsecCommands.RESPONSE_TOPIC, 1);
            int[] granted = subscribed.getReasonCodes();
            if (granted == null || granted.length == 0 || granted[0] >= 0x80) {
                throw new ProvisioningException("the broker does not let " + settings.username()
                        + " read " + DynsecCommands.RESPONSE_TOPIC, false, null);
            }
            MqttMessage message = new MqttMessage(commands.getBytes(StandardCharsets.UTF_8), 1, false,
                    new MqttProperties());
            sent = true;
            client.publish(DynsecCommands.COMMAND_TOPIC, message);
            DynsecReply reply = replies.poll(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new ProvisioningException("the broker did not answer within " + settings.timeout(), true, null);
            }
            return reply;
        } catch (MqttException e) {
            throw new ProvisioningException("broker " + settings.url() + " unreachable or refusing ("
                    + e.getReasonCode() + " " + e.getMessage() + ")", sent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while waiting for the broker", sent, e);
        } finally {
            close(client);
            oneAtATime.unlock();
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, settings.timeout().toSeconds()));
        o.setKeepAliveInterval(30);
        o.setSocketFactory(settings.sockets());
        o.setHttpsHostnameVerificationEnabled(true);
        o.setUserName(settings.username());
        if (settings.password() != null) {
            o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    private static void close(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
        } catch (MqttException e) {
            LOG.debugf("admin connection disconnect: %s", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debugf("admin connection close: %s", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Mosquitto dynamic security at " + settings.url();
    }

    /** Hands on the one response that answers this request. */
    private record Responses(String correlation, int count, BlockingQueue<DynsecReply> replies) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (DynsecCommands.RESPONSE_TOPIC.equals(topic)) {
                DynsecReply reply = DynsecReply.parse(message.getPayload(), correlation);
                if (reply.answers(count)) {
                    replies.add(reply);
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
