package org.vitalvault.segment;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.vitalvault.reading.Reading;

/** Decoding untrusted bytes either returns well-ordered readings or throws SegmentFormatException — quickly. */
class SegmentDecodeFuzzTest {

    private static final int MUTATIONS = 20_000;

    @Property(tries = 2000)
    void anyBytesAfterTheVersionEitherDecodeOrFailWithSegmentFormatException(@ForAll @Size(max = 300) byte[] tail) {
        byte[] bytes = new byte[tail.length + 1];
        bytes[0] = 1;
        System.arraycopy(tail, 0, bytes, 1, tail.length);
        decodeOrFailCleanly(bytes, "random tail");
    }

    @Test
    void mutatedSegmentsEitherDecodeOrFailWithSegmentFormatExceptionAndNeverHang() {
        List<byte[]> seeds = seedSegments();
        Random random = new Random(20_260_601L);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] original = seeds.get(random.nextInt(seeds.size()));
                byte[] mutated = mutate(original, random);
                decodeOrFailCleanly(mutated, "mutation " + i);
            }
        });
    }

    @Test
    void purelyRandomBytesEitherDecodeOrFailWithSegmentFormatException() {
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 5_000; i++) {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                decodeOrFailCleanly(bytes, "random " + i);
            }
        });
    }

    private static void decodeOrFailCleanly(byte[] bytes, String what) {
        List<Reading> decoded;
        try {
            decoded = SegmentCodec.decode(bytes);
        } catch (SegmentFormatException expected) {
            return;
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(what + ": " + e, e);
            return;
        }
        // Whatever decodes keeps decode's promise: sorted, one per identity, and it re-encodes.
        assertTrue(Series.identical(Series.expected(decoded), decoded), what + " decoded out of order");
        assertTrue(Series.identical(decoded, SegmentCodec.decode(SegmentCodec.encode(decoded))), what);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
            switch (random.nextInt(6)) {
                case 0 -> { // flip one bit
                    int i = random.nextInt(b.length);
                    b[i] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 3 -> { // insert a byte
                    int i = random.nextInt(b.length + 1);
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, i);
                    c[i] = (byte) random.nextInt(256);
                    System.arraycopy(b, i, c, i + 1, b.length - i);
                    b = c;
                }
                case 4 -> { // delete a byte
                    if (b.length > 1) {
                        int i = random.nextInt(b.length);
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, i);
                        System.arraycopy(b, i + 1, c, i, b.length - i - 1);
                        b = c;
                    }
                }
                default -> { // a large byte, often a huge varint count or Rice parameter
                    b[random.nextInt(b.length)] = (byte) 0xFF;
                }
            }
            if (b.length == 0) {
                return b;
            }
        }
        return b;
    }

    /** Valid segments of every column kind to mutate from. */
    private static List<byte[]> seedSegments() {
        UUID a = new UUID(1, 1);
        UUID b = new UUID(2, 2);
        UUID c = new UUID(3, 3);
        List<byte[]> seeds = new ArrayList<>();
        Random random = new Random(9);
        seeds.add(SegmentCodec.encode(List.of()));
        seeds.add(SegmentCodec.encode(List.of(new Reading(a, 1000, 1100, 72))));
        seeds.add(SegmentCodec.encode(Series.heartRateHour(random, a, Series.SOME_HOUR).subList(0, 120)));
        List<Reading> mixed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID d = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
            mixed.add(new Reading(d, Series.SOME_HOUR + i * 997L, Series.SOME_HOUR + i * 997L + random.nextInt(300),
                    Math.round(random.nextGaussian() * 100) / 10.0));
        }
        seeds.add(SegmentCodec.encode(mixed));
        List<Reading> xor = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            xor.add(new Reading(i % 2 == 0 ? a : b, Series.SOME_HOUR + i * 1000L, Series.SOME_HOUR + i * 1000L + 50,
                    random.nextDouble() * 100));
        }
        seeds.add(SegmentCodec.encode(xor));
        return seeds;
    }
}
