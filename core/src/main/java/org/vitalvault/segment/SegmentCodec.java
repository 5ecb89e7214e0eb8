package org.vitalvault.segment;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.reading.Reading;

/**
 * The plaintext of a compacted segment: every reading of one (owner, metric, hour), deduplicated and
 * compressed Gorilla-style (format version 1). The vault compacts many small batches into one of
 * these and then seals it; sealing is not done here.
 *
 * <pre>
 * u8      version = 1
 * varint  device count D, then D device ids (16 bytes each, big endian), strictly ascending by
 *         {@link UUID#compareTo}
 * varint  reading count N; when N = 0 nothing follows (and D = 0)
 * zigzag  varint: T0, device time of the first reading, ms
 * u8      value mode: k = 0..6 when every value is m / 10^k for a whole m; 255 = IEEE bits (XOR)
 * u8 ×3   Rice parameters kT, kO, kV (0..63) of the time, offset and value columns (kV = 0 for XOR)
 * bits    N readings, most significant bit first, the last byte zero padded; per reading:
 *           device  index into the table, ceil(log2 D) bits (none when D = 1)
 *           time    rice(kT, zigzag(dod)), dod = (t − lastT) − lastDelta, lastDelta = lastT − the
 *                   time before it (delta-of-delta, ms)
 *           offset  rice(kO, zigzag(o − lastO)), o = received time − device time, ms
 *           value   mode k:   rice(kV, zigzag(m − lastM)), value = m / 10^k
 *                   mode 255: Gorilla XOR of the IEEE bits with lastBits (see XorValues)
 * </pre>
 * The "last" state is kept per device (a reading predicts from the same device's previous
 * reading), starting at lastT = T0, lastDelta = 0, lastO = 0, lastM = 0, lastBits = 0, so two
 * interleaved sensors cost no more than each alone. All arithmetic wraps modulo 2^64, so any
 * long times round-trip.
 *
 * <p>rice(k, u): q = u >>> k; when q &lt; 20, q one bits, a zero bit, then the low k bits of u;
 * otherwise 20 one bits, 6 bits (L − 1), then the L significant bits of u. The encoder picks each
 * k to minimise the column's size. A 1 Hz series with a steady clock has dod = 0 every second: one
 * bit. An hour of 1 Hz whole-number heart rate with a receive delay jittering over 20–300 ms takes
 * about 1.6 bytes a reading, most of it the delay.
 *
 * <p>Readings are kept in (device time, device id) order, one per (device, device time): see
 * {@link #deduplicate}. Decoding checks that order and every count against the bytes left, so a
 * malformed segment fails with {@link SegmentFormatException} and never allocates more than eight
 * readings per input byte.
 */
public final class SegmentCodec {

    private static final int VERSION = 1;
    private static final int XOR_MODE = 255;
    private static final int HEADER_AFTER_T0 = 4;

    private static final Comparator<Reading> ORDER = Comparator.comparingLong(Reading::deviceTimeMillis)
            .thenComparing(Reading::deviceId);

    private SegmentCodec() {
    }

    /**
     * The readings a segment stores: sorted by (device time, device id), one per (device, device
     * time). Of duplicates the first received (lowest received time) is kept, and among those the
     * one earliest in the list — the same rule as reading uncompacted batches, so compaction
     * changes nothing a reader sees.
     */
    public static List<Reading> deduplicate(List<Reading> readings) {
        List<Reading> sorted = new ArrayList<>(readings);
        // List.sort is stable: equal received times keep the input order.
        sorted.sort(ORDER.thenComparingLong(Reading::receivedTimeMillis));
        List<Reading> unique = new ArrayList<>(sorted.size());
        Reading previous = null;
        for (Reading r : sorted) {
            if (previous == null || previous.deviceTimeMillis() != r.deviceTimeMillis()
                    || !previous.deviceId().equals(r.deviceId())) {
                unique.add(r);
                previous = r;
            }
        }
        return unique;
    }

    /** Encodes the readings, in any order and with duplicates, after {@link #deduplicate}. */
    public static byte[] encode(List<Reading> readings) {
        List<Reading> rs = deduplicate(readings);
        int n = rs.size();
        UUID[] devices = rs.stream().map(Reading::deviceId).distinct().sorted().toArray(UUID[]::new);
        Map<UUID, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < devices.length; i++) {
            indexOf.put(devices[i], i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + devices.length * 16 + n * 2);
        out.write(VERSION);
        Varints.write(out, devices.length);
        ByteBuffer id = ByteBuffer.allocate(16);
        for (UUID d : devices) {
            id.clear();
            id.putLong(d.getMostSignificantBits()).putLong(d.getLeastSignificantBits());
            out.write(id.array(), 0, 16);
        }
        Varints.write(out, n);
        if (n == 0) {
            return out.toByteArray();
        }
        long t0 = rs.get(0).deviceTimeMillis();
        Columns c = Columns.of(rs, indexOf, devices.length, t0);
        Varints.write(out, Varints.zigzag(t0));
        out.write(c.places < 0 ? XOR_MODE : c.places);
        out.write(c.kTime);
        out.write(c.kOffset);
        out.write(c.kValue);

        BitWriter bits = new BitWriter(n * 2);
        int deviceBits = bitsFor(devices.length);
        XorValues xor = c.places < 0 ? new XorValues(devices.length) : null;
        for (int i = 0; i < n; i++) {
            bits.write(c.device[i], deviceBits);
            bits.writeRice(c.time[i], c.kTime);
            bits.writeRice(c.offset[i], c.kOffset);
            if (xor == null) {
                bits.writeRice(c.value[i], c.kValue);
            } else {
                xor.write(bits, c.device[i], rs.get(i).value());
            }
        }
        out.writeBytes(bits.toByteArray());
        return out.toByteArray();
    }

    /**
     * The readings of a segment, sorted by (device time, device id).
     *
     * @throws SegmentFormatException when the bytes are not a well-formed version-1 segment
     */
    public static List<Reading> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!in.hasRemaining()) {
            throw new SegmentFormatException("empty segment");
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new SegmentFormatException("unknown segment version " + version);
        }
        UUID[] devices = readDevices(in);
        // Each reading takes at least one bit (its time code), which bounds the count by the input.
        int n = Varints.readCount(in, 1, "reading count");
        if (n == 0 || devices.length == 0) {
            if (n != 0 || devices.length != 0 || in.hasRemaining()) {
                throw new SegmentFormatException("empty segment with devices, readings or trailing bytes");
            }
            return List.of();
        }
        long t0 = Varints.unzigzag(Varints.read(in, "segment start time"));
        if (in.remaining() < HEADER_AFTER_T0) {
            throw new SegmentFormatException("truncated segment header");
        }
        int mode = in.get() & 0xFF;
        int kTime = riceParameter(in.get());
        int kOffset = riceParameter(in.get());
        int kValue = riceParameter(in.get());
        if (mode > DecimalValues.MAX_PLACES && (mode != XOR_MODE || kValue != 0)) {
            throw new SegmentFormatException("unknown value mode " + mode);
        }
        return readReadings(new BitReader(bytes, in.position()), devices, n, t0, mode, kTime, kOffset, kValue);
    }

    /** Decodes the existing segment, adds the readings and encodes the union; existing copies win ties. */
    public static byte[] merge(byte[] existing, List<Reading> more) {
        List<Reading> all = new ArrayList<>(decode(existing));
        all.addAll(more);
        return encode(all);
    }

    private static List<Reading> readReadings(BitReader bits, UUID[] devices, int n, long t0, int mode,
                                              int kTime, int kOffset, int kValue) {
        int deviceCount = devices.length;
        int deviceBits = bitsFor(deviceCount);
        long[] lastTime = new long[deviceCount];
        Arrays.fill(lastTime, t0);
        long[] lastDelta = new long[deviceCount];
        long[] lastOffset = new long[deviceCount];
        long[] lastScaled = new long[deviceCount];
        XorValues xor = mode == XOR_MODE ? new XorValues(deviceCount) : null;
        boolean[] seen = new boolean[deviceCount];
        int unseen = deviceCount;
        List<Reading> readings = new ArrayList<>(n);
        long previousTime = Long.MIN_VALUE;
        int previousDevice = -1;
        for (int i = 0; i < n; i++) {
            int d = (int) bits.read(deviceBits);
            if (d >= deviceCount) {
                throw new SegmentFormatException("device index out of range in segment");
            }
            long delta = lastDelta[d] + Varints.unzigzag(bits.readRice(kTime));
            long time = lastTime[d] + delta;
            lastTime[d] = time;
            lastDelta[d] = delta;
            long offset = lastOffset[d] + Varints.unzigzag(bits.readRice(kOffset));
            lastOffset[d] = offset;
            double value;
            if (xor == null) {
                lastScaled[d] += Varints.unzigzag(bits.readRice(kValue));
                value = DecimalValues.unscale(lastScaled[d], mode);
            } else {
                value = xor.read(bits, d);
            }
            // A well-formed segment is strictly ordered; checking it keeps decode's promise for any input.
            if (i > 0 && (time < previousTime || (time == previousTime && d <= previousDevice))) {
                throw new SegmentFormatException("segment readings out of order or duplicated");
            }
            previousTime = time;
            previousDevice = d;
            if (!seen[d]) {
                seen[d] = true;
                unseen--;
            }
            readings.add(new Reading(devices[d], time, time + offset, value));
        }
        if (unseen != 0) {
            throw new SegmentFormatException("segment lists a device without readings");
        }
        if (!bits.atPaddedEnd()) {
            throw new SegmentFormatException("trailing bits after segment");
        }
        return readings;
    }

    private static UUID[] readDevices(ByteBuffer in) {
        int count = Varints.readCount(in, 128, "device count");
        UUID[] devices = new UUID[count];
        for (int i = 0; i < count; i++) {
            devices[i] = new UUID(in.getLong(), in.getLong());
            if (i > 0 && devices[i - 1].compareTo(devices[i]) >= 0) {
                throw new SegmentFormatException("segment device table not strictly ascending");
            }
        }
        return devices;
    }

    private static int riceParameter(byte b) {
        if ((b & 0xFF) > 63) {
            throw new SegmentFormatException("Rice parameter out of range");
        }
        return b;
    }

    /** Bits needed for an index below {@code count}: 0 for a single device. */
    private static int bitsFor(int count) {
        return 32 - Integer.numberOfLeadingZeros(count - 1);
    }

    /** The encoder's columns, as the unsigned (zigzag) values the Rice codes take. */
    private record Columns(int[] device, long[] time, long[] offset, long[] value, int places,
                           int kTime, int kOffset, int kValue) {

        static Columns of(List<Reading> rs, Map<UUID, Integer> indexOf, int deviceCount, long t0) {
            int n = rs.size();
            int[] device = new int[n];
            long[] time = new long[n];
            long[] offset = new long[n];
            double[] values = new double[n];
            long[] lastTime = new long[deviceCount];
            Arrays.fill(lastTime, t0);
            long[] lastDelta = new long[deviceCount];
            long[] lastOffset = new long[deviceCount];
            for (int i = 0; i < n; i++) {
                Reading r = rs.get(i);
                int d = indexOf.get(r.deviceId());
                device[i] = d;
                long delta = r.deviceTimeMillis() - lastTime[d];
                time[i] = Varints.zigzag(delta - lastDelta[d]);
                lastTime[d] = r.deviceTimeMillis();
                lastDelta[d] = delta;
                long o = r.receivedTimeMillis() - r.deviceTimeMillis();
                offset[i] = Varints.zigzag(o - lastOffset[d]);
                lastOffset[d] = o;
                values[i] = r.value();
            }
            int places = DecimalValues.places(values, n);
            long[] value = new long[n];
            if (places >= 0) {
                long[] lastScaled = new long[deviceCount];
                for (int i = 0; i < n; i++) {
                    long m = DecimalValues.scale(values[i], places);
                    value[i] = Varints.zigzag(m - lastScaled[device[i]]);
                    lastScaled[device[i]] = m;
                }
            }
            return new Columns(device, time, offset, value, places, BitWriter.bestRiceParameter(time, n),
                    BitWriter.bestRiceParameter(offset, n),
                    places >= 0 ? BitWriter.bestRiceParameter(value, n) : 0);
        }
    }
}
