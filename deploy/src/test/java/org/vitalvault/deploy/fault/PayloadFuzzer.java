package org.vitalvault.deploy.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.vitalvault.senml.SenmlCborEncoder;
import org.vitalvault.senml.SenmlJsonEncoder;
import org.vitalvault.senml.SenmlRecord;

/**
 * Hostile payloads made by mutating valid SenML packs (JSON and CBOR): flipped bits, cut ends,
 * inserted and repeated spans, swapped bytes, oversized packs and very long record lists.
 */
final class PayloadFuzzer {

    /** A payload and the content type it claims. */
    record Fuzzed(byte[] payload, String contentType) {
    }

    private final Random random;
    private final SenmlJsonEncoder json = new SenmlJsonEncoder();
    private final SenmlCborEncoder cbor = new SenmlCborEncoder();

    PayloadFuzzer(long seed) {
        this.random = new Random(seed);
    }

    Fuzzed next() {
        boolean useCbor = random.nextBoolean();
        List<SenmlRecord> records = new ArrayList<>();
        int n = 1 + random.nextInt(12);
        double now = System.currentTimeMillis() / 1000d;
        for (int i = 0; i < n; i++) {
            records.add(new SenmlRecord(random.nextBoolean() ? "heart_rate" : "spo2",
                    random.nextBoolean() ? "beat/min" : "%", 40 + random.nextInt(80), now - random.nextInt(600)));
        }
        byte[] valid = useCbor ? cbor.encode(records) : json.encode(records);
        byte[] mutated = mutate(valid);
        return new Fuzzed(mutated, useCbor ? "application/senml+cbor" : "application/senml+json");
    }

    private byte[] mutate(byte[] in) {
        // Oversized packs are rare: each one is 64 KiB through the broker.
        int kind = random.nextInt(200) == 0 ? 7 : random.nextInt(7);
        byte[] out = in.clone();
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> out = Arrays.copyOf(in, random.nextInt(in.length));
            case 2 -> {
                int at = random.nextInt(in.length);
                byte[] junk = new byte[1 + random.nextInt(16)];
                random.nextBytes(junk);
                out = concat(Arrays.copyOf(in, at), junk, Arrays.copyOfRange(in, at, in.length));
            }
            case 3 -> {
                int from = random.nextInt(in.length);
                int len = Math.min(in.length - from, 1 + random.nextInt(20));
                out = concat(Arrays.copyOf(in, from + len), Arrays.copyOfRange(in, from, from + len),
                        Arrays.copyOfRange(in, from + len, in.length));
            }
            case 4 -> {
                int a = random.nextInt(out.length);
                int b = random.nextInt(out.length);
                byte t = out[a];
                out[a] = out[b];
                out[b] = t;
            }
            case 5 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 6 -> {
                // Type confusion: a value where a string belongs and the reverse, in JSON packs.
                String s = new String(in, StandardCharsets.ISO_8859_1)
                        .replaceFirst("\"v\":", "\"v\":\"x").replaceFirst("\"n\":\"", "\"n\":1");
                out = s.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                // Far too large: over 64 KiB.
                out = new byte[65_537 + random.nextInt(1000)];
                Arrays.fill(out, (byte) '[');
            }
        }
        return out.length == 0 ? new byte[] {(byte) random.nextInt(256)} : out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
