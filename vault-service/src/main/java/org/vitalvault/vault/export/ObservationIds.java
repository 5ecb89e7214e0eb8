package org.vitalvault.vault.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Stable ids for exported Observations: a name-based UUID (version 3, as {@link UUID#nameUUIDFromBytes})
 * of the owner, metric, device, first device time and shape, so exporting the same data twice gives
 * the same ids and a FHIR server that receives both can tell they are the same Observations. The
 * digest is reused, so this is cheap but not thread-safe: one per export.
 */
final class ObservationIds {

    /** An Observation holding a SampledData series. */
    static final byte SAMPLED = 'S';
    /** An Observation holding one reading. */
    static final byte SINGLE = 'Q';

    private final MessageDigest md5;
    private final ByteBuffer name = ByteBuffer.allocate(256);
    private final UUID owner;

    ObservationIds(UUID owner) {
        this.owner = owner;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }

    UUID of(String metric, UUID device, long deviceTimeMillis, byte shape) {
        byte[] code = metric.getBytes(StandardCharsets.UTF_8);
        name.clear();
        name.putLong(owner.getMostSignificantBits()).putLong(owner.getLeastSignificantBits())
                .putLong(device.getMostSignificantBits()).putLong(device.getLeastSignificantBits())
                .putLong(deviceTimeMillis).put(shape);
        md5.update(name.array(), 0, name.position());
        md5.update(code);
        byte[] h = md5.digest();
        h[6] = (byte) ((h[6] & 0x0f) | 0x30); // version 3
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer b = ByteBuffer.wrap(h);
        return new UUID(b.getLong(), b.getLong());
    }
}
