package org.vitalvault.reading;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plaintext inside a sealed batch (format version 1). It exists only in memory: the gateway
 * encodes then seals it, the vault opens then decodes it.
 *
 * <pre>
 * u8      version = 1
 * varint  device count D, then D device ids (16 bytes each)
 * varint  reading count N, then N readings:
 *           varint  device index (into the device list)
 *           zigzag  device time, ms, as delta from the previous reading's (the first from 0)
 *           zigzag  received time minus device time, ms
 *           f64     value, canonical unit, big endian
 * </pre>
 * Times as deltas keep a batch of consecutive readings near 12 bytes a reading before sealing.
 */
public final class ReadingBatchCodec {

    private static final int VERSION = 1;

    private ReadingBatchCodec() {
    }

    public static byte[] encode(List<Reading> readings) {
        Map<UUID, Integer> devices = new LinkedHashMap<>();
        for (Reading r : readings) {
            devices.putIfAbsent(r.deviceId(), devices.size());
        }
        // Sized for the worst case (10-byte varints), so no growing and no per-byte lock as in a
        // ByteArrayOutputStream: the gateway encodes one batch per sealed row.
        ByteBuffer out = ByteBuffer.allocate(1 + 10 + devices.size() * 16 + 10 + readings.size() * (3 * 10 + 8));
        out.put((byte) VERSION);
        putVarint(out, devices.size());
        for (UUID d : devices.keySet()) {
            out.putLong(d.getMostSignificantBits()).putLong(d.getLeastSignificantBits());
        }
        putVarint(out, readings.size());
        long previous = 0;
        for (Reading r : readings) {
            putVarint(out, devices.get(r.deviceId()));
            putVarint(out, zigzag(r.deviceTimeMillis() - previous));
            putVarint(out, zigzag(r.receivedTimeMillis() - r.deviceTimeMillis()));
            out.putDouble(r.value());
            previous = r.deviceTimeMillis();
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a version-1 batch; the message names
     *                                  the structural problem, never a value
     */
    public static List<Reading> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown reading batch version " + version);
            }
            int deviceCount = (int) readVarint(in);
            UUID[] devices = new UUID[deviceCount];
            for (int i = 0; i < deviceCount; i++) {
                devices[i] = new UUID(in.getLong(), in.getLong());
            }
            int count = (int) readVarint(in);
            List<Reading> readings = new ArrayList<>(count);
            long previous = 0;
            for (int i = 0; i < count; i++) {
                int device = (int) readVarint(in);
                if (device < 0 || device >= deviceCount) {
                    throw new IllegalArgumentException("device index out of range in reading batch");
                }
                long deviceTime = previous + unzigzag(readVarint(in));
                long received = deviceTime + unzigzag(readVarint(in));
                readings.add(new Reading(devices[device], deviceTime, received, in.getDouble()));
                previous = deviceTime;
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after reading batch");
            }
            return readings;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated reading batch");
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void putVarint(ByteBuffer out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static long readVarint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("malformed varint in reading batch");
    }
}
