package org.vitalvault.vault.device;

import java.util.EnumMap;
import java.util.Map;
import org.vitalvault.wire.RejectionReason;

/**
 * Each rejection reason for the owner, in plain language (docs/protocol/rejection-reasons.md is the
 * device maker's version): a short label for notices and lists, and a sentence saying what happened
 * and what to do. RejectionDescriptionsTest checks every reason has both.
 */
public final class RejectionDescriptions {

    /** How a reason reads to an owner. */
    public record Text(String label, String description) {
    }

    private static final Map<RejectionReason, Text> TEXTS = new EnumMap<>(RejectionReason.class);

    static {
        put(RejectionReason.MALFORMED_TOPIC, "wrong address",
                "The device sent to an address the vault does not know. Its setup needs fixing.");
        put(RejectionReason.UNKNOWN_DEVICE, "device not paired",
                "The device is not paired (or was unpaired). Pair it again to keep storing its readings.");
        put(RejectionReason.MAC_REQUIRED, "missing signature",
                "The device was paired to sign every message, and sent one unsigned. Check its setup.");
        put(RejectionReason.MAC_KEY_UNKNOWN, "unexpected signature",
                "The device signed a message, but the vault holds no signing key for it. Pair it again.");
        put(RejectionReason.MAC_INVALID, "signature did not match",
                "A message's signature did not match: it was changed on the way, or signed with another key.");
        put(RejectionReason.MAC_MALFORMED, "unreadable signature",
                "A message's signature could not be read. The device's software needs fixing.");
        put(RejectionReason.MAC_ALGORITHM_UNSUPPORTED, "unsupported signature",
                "A message was signed in a way the vault does not accept. The device's software needs fixing.");
        put(RejectionReason.UNSUPPORTED_CONTENT_TYPE, "unsupported format",
                "The device sent data in a format the vault does not read.");
        put(RejectionReason.PAYLOAD_TOO_LARGE, "message too large",
                "A message was too large. The device should send its readings in smaller parts.");
        put(RejectionReason.TOO_MANY_RECORDS, "too many readings at once",
                "A message held too many readings. The device should send them in smaller parts.");
        put(RejectionReason.EMPTY_PACK, "empty message",
                "The device sent a message with no readings in it. Nothing was lost.");
        put(RejectionReason.RATE_LIMITED, "sending too fast",
                "The device sent more than its share per second. It should keep its readings and send them again"
                        + " more slowly.");
        put(RejectionReason.QOS_NOT_SUPPORTED, "unsafe delivery mode",
                "The device sent without asking for delivery confirmation (MQTT QoS 0). Nothing of it was stored.");
        put(RejectionReason.PROCESSING_FAILED, "could not be processed",
                "The vault could not process a message. Nothing of it was stored; if this persists, tell the"
                        + " vault's operator.");
        put(RejectionReason.MALFORMED, "unreadable reading",
                "A reading could not be read. The device's software needs fixing.");
        put(RejectionReason.UNSUPPORTED_FIELD, "unsupported detail",
                "A reading carried a detail the vault must understand but does not.");
        put(RejectionReason.UNSUPPORTED_VERSION, "unsupported version",
                "A reading used a newer data format version than the vault reads.");
        put(RejectionReason.NO_NUMERIC_VALUE, "no number",
                "A reading had no numeric value. Only numeric vital signs are stored.");
        put(RejectionReason.UNKNOWN_METRIC, "unknown measurement",
                "A reading named a measurement the vault does not know.");
        put(RejectionReason.UNIT_MISMATCH, "wrong unit",
                "A reading's unit does not fit its measurement.");
        put(RejectionReason.OUT_OF_RANGE, "implausible value",
                "A reading's value was outside what is plausible for that measurement. Check the sensor.");
        put(RejectionReason.TIME_IN_FUTURE, "time in the future",
                "A reading was dated in the future. The device's clock is probably wrong.");
        put(RejectionReason.TOO_OLD, "too old",
                "A reading was older than the vault accepts (30 days by default).");
        put(RejectionReason.STORE_REFUSED, "refused by the store",
                "The vault's database refused the readings, for example while the account was being erased.");
    }

    private RejectionDescriptions() {
    }

    private static void put(RejectionReason reason, String label, String description) {
        TEXTS.put(reason, new Text(label, description));
    }

    /** The texts of a reason; every reason has them. */
    public static Text of(RejectionReason reason) {
        Text t = TEXTS.get(reason);
        if (t == null) {
            throw new IllegalStateException("no owner text for rejection reason " + reason.name());
        }
        return t;
    }
}
