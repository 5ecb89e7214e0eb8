package org.vitalvault.segment;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.vitalvault.metric.Metric;
import org.vitalvault.reading.Reading;

/**
 * The aggregate of one (owner, metric, hour): count, sum, sum of squares, min, max and a histogram,
 * enough for mean, variance and approximate quantiles over any span by merging hours.
 *
 * <p><b>Histogram.</b> Regular bins of the metric's {@link Metric#binWidth() bin width} cover its
 * clamp range: bin i (1-based) holds [binLow + (i−1)·w, binLow + i·w), and the last regular bin
 * also holds its upper edge (so clampMax itself is counted in range). {@code bins[0]} counts values
 * below clampMin and {@code bins[bins.length − 1]} values above the top edge. The clamp range is the
 * one the catalogue gives a bin width for; readings are validated only to the wider plausible
 * range, so a heart rate of 25 or 240 is real data and lands in an edge bin instead of being lost or
 * moved. A privacy-protected aggregate that clamps later folds the edge bins into the first and last
 * regular bins, which is exactly binning the clamped value. Values enter as they are: clamping is
 * that later step's concern, so sum, min and max here are of the true values.
 *
 * <p><b>Merging</b> is commutative, and associative exactly for count, min, max and histogram. Sums
 * are doubles, so they are associative up to rounding: exactly so while every partial sum is
 * exactly representable, as for whole-number vitals (heart rate, steps) below 2^53.
 *
 * <p>The bin layout is part of the value and of the encoding, so a rollup written under one
 * catalogue still reads, and refuses to merge with a rollup of another layout, after the catalogue
 * changes. An empty rollup has count 0, sums 0, min +∞ and max −∞ (the identity of merge).
 *
 * @param count        readings aggregated
 * @param sum          sum of the values, canonical unit
 * @param sumOfSquares sum of the squared values
 * @param min          smallest value, +∞ when empty
 * @param max          largest value, −∞ when empty
 * @param binLow       lower edge of the first regular bin (the metric's clamp minimum)
 * @param binWidth     width of every regular bin
 * @param bins         counts: below range, the regular bins, above range; sums to count
 */
public record HourRollup(long count, double sum, double sumOfSquares, double min, double max,
                         double binLow, double binWidth, long[] bins) {

    private static final int VERSION = 1;

    public HourRollup {
        bins = bins.clone();
        if (count < 0 || bins.length < 3 || !Double.isFinite(binLow) || !Double.isFinite(binWidth) || !(binWidth > 0)) {
            throw new IllegalArgumentException("rollup needs count ≥ 0, at least one regular bin and a positive width");
        }
        long total = 0;
        for (long b : bins) {
            if (b < 0) {
                throw new IllegalArgumentException("negative histogram bin");
            }
            total += b;
            if (total < 0) {
                throw new IllegalArgumentException("histogram overflows");
            }
        }
        if (total != count) {
            throw new IllegalArgumentException("histogram does not add up to the count");
        }
        boolean consistent = count == 0
                ? Double.doubleToRawLongBits(sum) == 0 && Double.doubleToRawLongBits(sumOfSquares) == 0
                        && min == Double.POSITIVE_INFINITY && max == Double.NEGATIVE_INFINITY
                : Double.isFinite(min) && Double.isFinite(max) && min <= max;
        if (!consistent) {
            throw new IllegalArgumentException("rollup min, max and sums do not fit its count");
        }
    }

    /** The rollup of these readings' values, binned by the metric. Pass deduplicated readings: each one given is counted. */
    public static HourRollup of(Metric metric, List<Reading> readings) {
        int regular = (int) Math.ceil((metric.clampMax() - metric.clampMin()) / metric.binWidth() - 1e-9);
        long[] bins = new long[Math.max(1, regular) + 2];
        double sum = 0;
        double sumOfSquares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Reading r : readings) {
            double v = r.value();
            sum += v;
            sumOfSquares += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            bins[binOf(v, metric.clampMin(), metric.binWidth(), bins.length)]++;
        }
        return new HourRollup(readings.size(), sum, sumOfSquares, min, max, metric.clampMin(), metric.binWidth(), bins);
    }

    /** The rollup of both hours' readings together. */
    public HourRollup merge(HourRollup other) {
        if (Double.compare(binLow, other.binLow) != 0 || Double.compare(binWidth, other.binWidth) != 0
                || bins.length != other.bins.length) {
            throw new IllegalArgumentException("cannot merge rollups with different histogram bins");
        }
        long[] merged = new long[bins.length];
        for (int i = 0; i < merged.length; i++) {
            merged[i] = Math.addExact(bins[i], other.bins[i]);
        }
        return new HourRollup(Math.addExact(count, other.count), sum + other.sum, sumOfSquares + other.sumOfSquares,
                Math.min(min, other.min), Math.max(max, other.max), binLow, binWidth, merged);
    }

    /** The mean value, NaN when the rollup is empty. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** A copy: the record stays immutable. */
    @Override
    public long[] bins() {
        return bins.clone();
    }

    /**
     * <pre>
     * u8      version = 1
     * varint  count
     * f64     binLow, binWidth (big endian)
     * varint  bin count B (≥ 3), then B varints, the bins
     * f64 ×4  sum, sumOfSquares, min, max — only when count &gt; 0
     * </pre>
     * About 80 bytes for an hour of heart rate (21 bins).
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 + bins.length * 2);
        out.write(VERSION);
        Varints.write(out, count);
        ByteBuffer f = ByteBuffer.allocate(32);
        f.putDouble(binLow).putDouble(binWidth);
        out.write(f.array(), 0, 16);
        Varints.write(out, bins.length);
        for (long b : bins) {
            Varints.write(out, b);
        }
        if (count > 0) {
            f.clear();
            f.putDouble(sum).putDouble(sumOfSquares).putDouble(min).putDouble(max);
            out.write(f.array(), 0, 32);
        }
        return out.toByteArray();
    }

    /** @throws SegmentFormatException when the bytes are not a well-formed version-1 rollup */
    public static HourRollup decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!in.hasRemaining() || (in.get() & 0xFF) != VERSION) {
            throw new SegmentFormatException("not a version-1 rollup");
        }
        long count = Varints.read(in, "rollup count");
        double binLow = readDouble(in);
        double binWidth = readDouble(in);
        long[] bins = new long[Varints.readCount(in, 8, "rollup bin count")];
        for (int i = 0; i < bins.length; i++) {
            bins[i] = Varints.read(in, "rollup bins");
        }
        boolean empty = count == 0;
        double sum = empty ? 0 : readDouble(in);
        double sumOfSquares = empty ? 0 : readDouble(in);
        double min = empty ? Double.POSITIVE_INFINITY : readDouble(in);
        double max = empty ? Double.NEGATIVE_INFINITY : readDouble(in);
        if (in.hasRemaining()) {
            throw new SegmentFormatException("trailing bytes after rollup");
        }
        try {
            return new HourRollup(count, sum, sumOfSquares, min, max, binLow, binWidth, bins);
        } catch (IllegalArgumentException e) {
            throw new SegmentFormatException("inconsistent rollup: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HourRollup r && count == r.count && Double.compare(sum, r.sum) == 0
                && Double.compare(sumOfSquares, r.sumOfSquares) == 0 && Double.compare(min, r.min) == 0
                && Double.compare(max, r.max) == 0 && Double.compare(binLow, r.binLow) == 0
                && Double.compare(binWidth, r.binWidth) == 0 && Arrays.equals(bins, r.bins);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(count);
        for (double d : new double[] {sum, sumOfSquares, min, max, binLow, binWidth}) {
            h = 31 * h + Double.hashCode(d);
        }
        return 31 * h + Arrays.hashCode(bins);
    }

    @Override
    public String toString() {
        // Health values never reach a log line: only the shape of the rollup.
        return "HourRollup[count=" + count + ", bins=" + bins.length + ", values=<sealed>]";
    }

    private static int binOf(double v, double low, double width, int length) {
        int regular = length - 2;
        if (v < low) {
            return 0;
        }
        double i = Math.floor((v - low) / width);
        if (i < regular) {
            return 1 + (int) i;
        }
        // The top edge itself (clampMax) is in range: counted in the last regular bin.
        return v <= low + regular * width ? regular : regular + 1;
    }

    private static double readDouble(ByteBuffer in) {
        if (in.remaining() < Double.BYTES) {
            throw new SegmentFormatException("truncated rollup");
        }
        return in.getDouble();
    }
}
