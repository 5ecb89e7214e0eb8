package org.vitalvault.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * Every MQTT topic and filter of the device protocol, in one place: devices publish readings to
 * {@code readings/{deviceId}} (or {@code readings/{deviceId}/json|cbor} when MQTT 3 cannot carry a
 * content type) and read receipts on {@code receipts/{deviceId}}; gateways share the readings
 * through the subscription group {@value #GATEWAY_SHARE_GROUP}. The broker's ACL
 * ({@code BrokerTopicPermissions}, {@code deploy/mosquitto/}) grants exactly these.
 *
 * <p>Parsing a reading topic back into a device and a format is the gateway's {@code ReadingTopic}.
 */
public final class Topics {

    /** Prefix of every reading topic; the device id follows. */
    public static final String READINGS_PREFIX = "readings/";
    /** Prefix of every receipt topic; the device id follows. */
    public static final String RECEIPTS_PREFIX = "receipts/";
    /** The shared-subscription group gateways join by default ({@code vitalvault.gateway.mqtt.shared-group}). */
    public static final String GATEWAY_SHARE_GROUP = "vault-gw";
    /** Reading topics of every device, without a format suffix. */
    public static final String ALL_READINGS = READINGS_PREFIX + "+";
    /** Reading topics of every device that name their format ({@code /json}, {@code /cbor}). */
    public static final String ALL_READINGS_WITH_FORMAT = READINGS_PREFIX + "+/+";
    /** Every reading topic, with or without a format: what a gateway's ACL lets it read. */
    public static final String READINGS_TREE = READINGS_PREFIX + "#";
    /** Receipt topics of every device (a service's view; devices read only their own). */
    public static final String ALL_RECEIPTS = RECEIPTS_PREFIX + "+";
    /**
     * The audit log's signed checkpoints, retained (issue 17; the vault's
     * {@code vitalvault.audit.mqtt-topic} default): only the vault's audit publisher may publish
     * here, every authenticated client may read it.
     */
    public static final String AUDIT_CHECKPOINT = "vitalvault/audit/checkpoint";

    private Topics() {
    }

    /** {@code readings/{deviceId}}: where a device publishes, the format given by the content type. */
    public static String readings(UUID deviceId) {
        return READINGS_PREFIX + Objects.requireNonNull(deviceId, "deviceId");
    }

    /** {@code readings/{deviceId}} for a device id as the broker sees it (its MQTT user name). */
    public static String readings(String deviceId) {
        return READINGS_PREFIX + Objects.requireNonNull(deviceId, "deviceId");
    }

    /** {@code readings/{deviceId}/{format}} for MQTT 3 nodes; format is {@code json} or {@code cbor}. */
    public static String readings(UUID deviceId, String format) {
        if (!"json".equals(format) && !"cbor".equals(format)) {
            throw new IllegalArgumentException("format must be one of json, cbor");
        }
        return readings(deviceId) + "/" + format;
    }

    /** {@code receipts/{deviceId}}: where the gateway tells a device what it stored. */
    public static String receipts(UUID deviceId) {
        return RECEIPTS_PREFIX + Objects.requireNonNull(deviceId, "deviceId");
    }

    /** {@code receipts/{deviceId}} for a device id as the broker sees it (its MQTT user name). */
    public static String receipts(String deviceId) {
        return RECEIPTS_PREFIX + Objects.requireNonNull(deviceId, "deviceId");
    }

    /** {@code $share/{group}/readings/+}: a gateway's share of every device's readings. */
    public static String sharedReadings(String group) {
        return share(group) + ALL_READINGS;
    }

    /** {@code $share/{group}/readings/+/+}: the same for topics that name their format. */
    public static String sharedReadingsWithFormat(String group) {
        return share(group) + ALL_READINGS_WITH_FORMAT;
    }

    /** {@code $share/{group}/} (MQTT 5 §4.8.2): a group name is non-empty and holds no '/', '+' or '#'. */
    public static String share(String group) {
        if (group == null || group.isEmpty() || group.indexOf('/') >= 0 || group.indexOf('+') >= 0
                || group.indexOf('#') >= 0) {
            throw new IllegalArgumentException("share group must be non-empty without '/', '+' or '#'");
        }
        return "$share/" + group + "/";
    }
}
