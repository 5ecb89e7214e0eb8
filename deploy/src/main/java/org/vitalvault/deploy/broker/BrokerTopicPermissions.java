package org.vitalvault.deploy.broker;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.PermissionType;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Retain;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.SharedSubscription;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.util.List;
import org.vitalvault.wire.Topics;

/**
 * The topics each kind of {@link BrokerPrincipal} may use. They are installed as the connection's
 * default permissions with default behaviour DENY, so anything not listed here is refused.
 *
 * <ul>
 *   <li>{@link BrokerPrincipal.Device}: publish (never retained) to {@code readings/{id}},
 *       {@code readings/{id}/cbor} and {@code readings/{id}/json}; subscribe to
 *       {@code receipts/{id}} only. Device topics carry no owner identity.</li>
 *   <li>{@link BrokerPrincipal.Service}: subscribe to {@code readings/#} either through the shared
 *       group {@value #GATEWAY_SHARE_GROUP} ({@code $share/vault-gw/readings/+}) or directly
 *       ({@code readings/+}); {@code #} rather than {@code +} so the {@code /cbor} and
 *       {@code /json} topics are reachable too. Publish to {@code receipts/+}.</li>
 *   <li>{@link BrokerPrincipal.AuditPublisher}: publish (retained allowed) to
 *       {@code vitalvault/audit/checkpoint}, nothing else.</li>
 *   <li>{@link BrokerPrincipal.Witness}: nothing but reading the checkpoint topic.</li>
 * </ul>
 * Every principal may subscribe to {@code vitalvault/audit/checkpoint}; only the audit publisher
 * may publish there.
 *
 * <p>Only usable while a HiveMQ broker runs: {@link Builders} are bound to it.
 */
final class BrokerTopicPermissions {

    /** Shared subscription group of the sensor gateway replicas. */
    static final String GATEWAY_SHARE_GROUP = Topics.GATEWAY_SHARE_GROUP;

    private BrokerTopicPermissions() {
    }

    static List<TopicPermission> of(BrokerPrincipal principal) {
        if (principal instanceof BrokerPrincipal.Device device) {
            return device(device.deviceId());
        }
        if (principal instanceof BrokerPrincipal.Service) {
            return service();
        }
        if (principal instanceof BrokerPrincipal.AuditPublisher) {
            return List.of(readCheckpoints(), Builders.topicPermission()
                    .topicFilter(Topics.AUDIT_CHECKPOINT)
                    .type(PermissionType.ALLOW)
                    .activity(MqttActivity.PUBLISH)
                    .build());
        }
        if (principal instanceof BrokerPrincipal.Witness) {
            return List.of(readCheckpoints());
        }
        throw new IllegalArgumentException("no permissions defined for " + principal.getClass());
    }

    private static List<TopicPermission> device(String deviceId) {
        String readings = Topics.readings(deviceId);
        return List.of(
                devicePublish(readings),
                devicePublish(readings + "/cbor"),
                devicePublish(readings + "/json"),
                Builders.topicPermission()
                        .topicFilter(Topics.receipts(deviceId))
                        .type(PermissionType.ALLOW)
                        .activity(MqttActivity.SUBSCRIBE)
                        .sharedSubscription(SharedSubscription.NOT_SHARED)
                        .build(),
                readCheckpoints());
    }

    /**
     * Every authenticated client may read the audit log's checkpoints (issue 17): the more
     * witnesses, the harder it is to show different owners different histories. The filter is the
     * exact topic, so {@code vitalvault/#} or {@code #} is still refused.
     */
    private static TopicPermission readCheckpoints() {
        return Builders.topicPermission()
                .topicFilter(Topics.AUDIT_CHECKPOINT)
                .type(PermissionType.ALLOW)
                .activity(MqttActivity.SUBSCRIBE)
                .build();
    }

    private static TopicPermission devicePublish(String topic) {
        // Not retained: a retained reading would be replayed to every new gateway subscription.
        return Builders.topicPermission()
                .topicFilter(topic)
                .type(PermissionType.ALLOW)
                .activity(MqttActivity.PUBLISH)
                .retain(Retain.NOT_RETAINED)
                .build();
    }

    private static List<TopicPermission> service() {
        return List.of(
                Builders.topicPermission()
                        .topicFilter(Topics.READINGS_TREE)
                        .type(PermissionType.ALLOW)
                        .activity(MqttActivity.SUBSCRIBE)
                        .sharedSubscription(SharedSubscription.SHARED)
                        .sharedGroup(GATEWAY_SHARE_GROUP)
                        .build(),
                Builders.topicPermission()
                        .topicFilter(Topics.READINGS_TREE)
                        .type(PermissionType.ALLOW)
                        .activity(MqttActivity.SUBSCRIBE)
                        .sharedSubscription(SharedSubscription.NOT_SHARED)
                        .build(),
                Builders.topicPermission()
                        .topicFilter(Topics.ALL_RECEIPTS)
                        .type(PermissionType.ALLOW)
                        .activity(MqttActivity.PUBLISH)
                        .build(),
                readCheckpoints());
    }
}
