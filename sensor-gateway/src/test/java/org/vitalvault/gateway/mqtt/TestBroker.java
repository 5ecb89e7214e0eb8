package org.vitalvault.gateway.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MQTT 5 broker for the gateway's MQTT tests: HiveMQ CE embedded in the test JVM on
 * 127.0.0.1, any client may connect, in-memory persistence.
 *
 * <p>It watches one client (the gateway) the way only the broker can: for every connection of
 * that client it pairs each PUBACK with the PUBLISH the broker sent under that packet id on the
 * same connection, and tells the {@link AckObserver} which message the broker now regards as
 * delivered, or that a PUBACK matched nothing in flight (a second PUBACK for one delivery).
 */
final class TestBroker implements AutoCloseable {

    /** What the broker makes of the watched client's PUBACKs. */
    interface AckObserver {
        /** The broker takes the message it sent on {@code topic} as delivered and forgets it. */
        void acknowledged(String topic);

        /** A PUBACK whose packet id has no PUBLISH in flight on this connection. */
        void unmatched(int packetId);
    }

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final AtomicInteger subacks;
    private final AtomicInteger pubacks;

    private TestBroker(EmbeddedHiveMQ hivemq, int port, AtomicInteger subacks, AtomicInteger pubacks) {
        this.hivemq = hivemq;
        this.port = port;
        this.subacks = subacks;
        this.pubacks = pubacks;
    }

    static TestBroker start(Path dir, String watchedClientId, AckObserver observer) throws Exception {
        int port = freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                    </listeners>
                    <mqtt>
                        <shared-subscriptions><enabled>true</enabled></shared-subscriptions>
                    </mqtt>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port), StandardCharsets.UTF_8);
        AtomicInteger subacks = new AtomicInteger();
        AtomicInteger pubacks = new AtomicInteger();
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                Services.securityRegistry().setAuthenticatorProvider(
                        i -> (SimpleAuthenticator) (authIn, authOut) -> authOut.authenticateSuccessfully());
                Services.initializerRegistry().setClientInitializer((init, context) -> {
                    if (!init.getClientInformation().getClientId().equals(watchedClientId)) {
                        return;
                    }
                    // Called once per connection: packet ids are scoped to it.
                    Map<Integer, String> inFlight = new ConcurrentHashMap<>();
                    context.addPublishOutboundInterceptor((PublishOutboundInterceptor) (pubIn, pubOut) -> {
                        if (pubIn.getPublishPacket().getQos() != Qos.AT_MOST_ONCE) {
                            inFlight.put(pubIn.getPublishPacket().getPacketId(), pubIn.getPublishPacket().getTopic());
                        }
                    });
                    context.addPubackInboundInterceptor((PubackInboundInterceptor) (ackIn, ackOut) -> {
                        int id = ackIn.getPubackPacket().getPacketIdentifier();
                        String topic = inFlight.remove(id);
                        if (topic == null) {
                            observer.unmatched(id);
                        } else {
                            observer.acknowledged(topic);
                        }
                        pubacks.incrementAndGet();
                    });
                    context.addSubackOutboundInterceptor(
                            (SubackOutboundInterceptor) (subIn, subOut) -> subacks.incrementAndGet());
                });
            }

            @Override
            public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
            }
        };
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("test-broker").withName("test broker").withVersion("1")
                        .withPriority(1000).withStartPriority(1000)
                        .withExtensionMain(main).build())
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(120, TimeUnit.SECONDS);
        return new TestBroker(hivemq, port, subacks, pubacks);
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** SUBACKs the broker sent to the watched client. */
    int subacks() {
        return subacks.get();
    }

    /** PUBACKs the broker received from the watched client. */
    int pubacks() {
        return pubacks.get();
    }

    @Override
    public void close() throws Exception {
        hivemq.stop().get(60, TimeUnit.SECONDS);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
