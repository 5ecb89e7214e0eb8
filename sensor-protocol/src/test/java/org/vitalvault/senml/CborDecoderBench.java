package org.vitalvault.senml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.vitalvault.wire.RejectionReason;

/**
 * Decision 019's measurement: ns per typical SenML CBOR pack (10 heart-rate records, as the
 * simulator and the ingest bench send them), decoded by {@link SenmlCborDecoder} (the hand-written
 * {@code CborReader}) and by the same resolution fed from Jackson's streaming {@link CBORParser}.
 * Not a test and not JMH: a warmed loop, both decoders alternating in one JVM, median of rounds.
 *
 * <p>Run: {@code mvn -o -q -pl sensor-protocol test-compile exec:java} is not set up; use
 * {@code java -cp "sensor-protocol/target/test-classes:sensor-protocol/target/classes:$(cat cp.txt)"
 * org.vitalvault.senml.CborDecoderBench} with the test classpath from {@code dependency:build-classpath}.
 */
public final class CborDecoderBench {

    private static final double NOW = 1_780_000_000d;
    private static final CBORFactory CBOR = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build();

    private CborDecoderBench() {
    }

    public static void main(String[] args) throws Exception {
        String device = "urn:dev:uuid:" + UUID.fromString("2f1d8c3a-7b44-4e1e-9a57-0c8f3f6a9b21") + ":";
        List<SenmlRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new SenmlRecord(device + "heart_rate", "beat/min", 60 + (i * 7) % 25, NOW - 10 + i, i));
        }
        byte[] pack = new SenmlCborEncoder().encode(records);
        SenmlCborDecoder ours = new SenmlCborDecoder(65_536, 1000);
        SenmlResult expected = ours.decode(pack, NOW);
        if (!expected.equals(jackson(pack)) || expected.records().size() != 10) {
            throw new IllegalStateException("the two decoders disagree on the pack");
        }
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long[] oursNs = new long[rounds];
        long[] jacksonNs = new long[rounds];
        long[] namesOnlyNs = new long[rounds];
        long sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            sink += loopOurs(ours, pack, iterations) + loopJackson(pack, iterations, true)
                    + loopJackson(pack, iterations, false);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            sink += loopOurs(ours, pack, iterations);
            long t1 = System.nanoTime();
            sink += loopJackson(pack, iterations, true);
            long t2 = System.nanoTime();
            sink += loopJackson(pack, iterations, false);
            long t3 = System.nanoTime();
            oursNs[r] = (t1 - t0) / iterations;
            jacksonNs[r] = (t2 - t1) / iterations;
            namesOnlyNs[r] = (t3 - t2) / iterations;
        }
        java.util.Arrays.sort(oursNs);
        java.util.Arrays.sort(jacksonNs);
        java.util.Arrays.sort(namesOnlyNs);
        System.out.printf(Locale.ROOT, "pack %d bytes, 10 records; %d rounds x %,d packs (median [min..max] ns/pack)%n",
                pack.length, rounds, iterations);
        System.out.printf(Locale.ROOT, "hand-written CborReader : %d [%d..%d]%n", oursNs[rounds / 2], oursNs[0], oursNs[rounds - 1]);
        System.out.printf(Locale.ROOT, "Jackson CBORParser      : %d [%d..%d]%n", jacksonNs[rounds / 2], jacksonNs[0],
                jacksonNs[rounds - 1]);
        System.out.printf(Locale.ROOT, "Jackson, no key-type check (wrong for text key \"2\"): %d [%d..%d]%n",
                namesOnlyNs[rounds / 2], namesOnlyNs[0], namesOnlyNs[rounds - 1]);
        System.out.printf(Locale.ROOT, "ratio Jackson/ours      : %.2f   (sink %d)%n",
                (double) jacksonNs[rounds / 2] / oursNs[rounds / 2], sink);
    }

    private static long loopOurs(SenmlCborDecoder decoder, byte[] pack, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += decoder.decode(pack, NOW).records().size();
        }
        return sum;
    }

    private static long loopJackson(byte[] pack, int n, boolean checkKeyType) throws IOException {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += jackson(pack, checkKeyType).records().size();
        }
        return sum;
    }

    /**
     * The SenML CBOR pack through Jackson's streaming parser, into the same {@link SenmlResolver}.
     * What a production version needs and costs is here: Jackson turns integer map keys into field
     * name strings, so whether a key was the integer 2 or the text "2" (an extension) is read from
     * the key's first byte at its token offset.
     */
    static SenmlResult jackson(byte[] payload) throws IOException {
        return jackson(payload, true);
    }

    /** With {@code checkKeyType} false, a key's type is guessed from its name: a lower bound, not correct. */
    static SenmlResult jackson(byte[] payload, boolean checkKeyType) throws IOException {
        try (CBORParser p = CBOR.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return SenmlResult.wholePackRejected(RejectionReason.MALFORMED, 1);
            }
            SenmlResolver resolver = new SenmlResolver(NOW);
            SenmlRawRecord raw = new SenmlRawRecord();
            int count = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                count++;
                raw.clear();
                if (t != JsonToken.START_OBJECT) {
                    raw.markNotARecord();
                    p.skipChildren();
                } else {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        int first = checkKeyType ? payload[(int) p.currentTokenLocation().getByteOffset()] & 0xff
                                : (name.isEmpty() || Character.isLetter(name.charAt(0)) ? 0x60 : 0);
                        JsonToken value = p.nextToken();
                        SenmlLabel label = null;
                        if (first >>> 5 <= 1) {
                            label = SenmlLabel.fromCbor(Long.parseLong(name));
                        } else if (SenmlLabel.fromJson(name) != null) {
                            raw.markWrongType(SenmlLabel.fromJson(name));
                        } else if (SenmlLabel.isMustUnderstand(name)) {
                            raw.markMustUnderstand(name);
                        }
                        if (label == null || !read(p, value, label, raw)) {
                            if (label != null) {
                                raw.markWrongType(label);
                            }
                            p.skipChildren();
                        }
                    }
                }
                resolver.accept(raw);
            }
            if (p.nextToken() != null) {
                return SenmlResult.wholePackRejected(RejectionReason.MALFORMED, 1);
            }
            return count == 0 ? SenmlResult.wholePackRejected(RejectionReason.EMPTY_PACK, 1) : resolver.result();
        }
    }

    private static boolean read(JsonParser p, JsonToken value, SenmlLabel label, SenmlRawRecord raw) throws IOException {
        switch (label.kind) {
            case TEXT:
                if (value != JsonToken.VALUE_STRING) {
                    return false;
                }
                raw.setText(label, p.getText());
                return true;
            case NUMBER:
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    return false;
                }
                raw.setNumber(label, p.getDoubleValue());
                return true;
            case VERSION:
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                raw.setVersion(p.getLongValue());
                return true;
            case BOOLEAN:
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                    return false;
                }
                raw.setPresent(label);
                return true;
            default:
                if (value != JsonToken.VALUE_EMBEDDED_OBJECT) {
                    return false;
                }
                raw.setPresent(label);
                return true;
        }
    }
}
