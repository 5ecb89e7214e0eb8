package org.vitalvault.deploy.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitalvault.wire.Topics;

/**
 * The broker's first line against a hostile or broken device, applied to every PUBLISH to
 * {@code readings/…} before HiveMQ authorizes or routes it (docs/decisions/033):
 *
 * <ul>
 *   <li>QoS 0 is dropped: it carries no delivery guarantee, so the vault does not take it at all
 *       rather than store some of it silently. Counted, and logged once per client. (The gateway
 *       also refuses QoS 0 with {@code qos-not-supported}, for brokers that do not drop it.)</li>
 *   <li>QoS 1 and 2 go through the device's {@link PublishQuotas}: over quota, delivery is
 *       prevented with PUBACK {@code 0x97 QUOTA_EXCEEDED}, so the message never reaches the
 *       gateway's queue and cannot crowd out other devices. The device keeps the reading and sends
 *       it again later. (HiveMQ disconnects an MQTT 3 client instead, which has no reason codes;
 *       it resends after reconnecting.) Counted.</li>
 * </ul>
 *
 * <p>The quota is keyed by client id, which the authenticator makes equal to the device id for
 * devices ({@link BrokerAuthenticator}). Receipts ({@code receipts/…}, published by the gateway)
 * are not limited here.
 */
final class DevicePublishLimiter implements PublishInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePublishLimiter.class);
    /** Clients whose first QoS 0 publish was logged; beyond this many nothing more is logged. */
    private static final int MAX_LOGGED_CLIENTS = 10_000;

    private final PublishQuotas quotas;
    private final LongSupplier nanoClock;
    private final AtomicLong overQuota = new AtomicLong();
    private final AtomicLong qos0Dropped = new AtomicLong();
    private final Set<String> qos0Logged = ConcurrentHashMap.newKeySet();
    private final Set<String> quotaLogged = ConcurrentHashMap.newKeySet();

    DevicePublishLimiter(DevicePublishQuota quota, LongSupplier nanoClock) {
        this.quotas = new PublishQuotas(Objects.requireNonNull(quota, "quota"));
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        if (!publish.getTopic().startsWith(Topics.READINGS_PREFIX)) {
            return;
        }
        String clientId = input.getClientInformation().getClientId();
        if (publish.getQos() == Qos.AT_MOST_ONCE) {
            qos0Dropped.incrementAndGet();
            if (qos0Logged.size() < MAX_LOGGED_CLIENTS && qos0Logged.add(clientId)) {
                LOG.warn("Client {} publishes readings with QoS 0: dropped at the broker (only QoS 1 is accepted;"
                        + " logged once per client)", clientId);
            }
            output.preventPublishDelivery();
            return;
        }
        int bytes = publish.getPayload().map(ByteBuffer::remaining).orElse(0);
        if (!quotas.tryAdmit(clientId, bytes, nanoClock.getAsLong())) {
            overQuota.incrementAndGet();
            if (quotaLogged.size() < MAX_LOGGED_CLIENTS && quotaLogged.add(clientId)) {
                LOG.warn("Client {} is over its publish quota: refused with QUOTA_EXCEEDED (logged once per client)",
                        clientId);
            }
            output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, "device publish quota exceeded; send again later");
        }
    }

    /** Publishes refused with QUOTA_EXCEEDED since the broker started. */
    long overQuota() {
        return overQuota.get();
    }

    /** QoS 0 publishes to readings dropped since the broker started. */
    long qos0Dropped() {
        return qos0Dropped.get();
    }
}
