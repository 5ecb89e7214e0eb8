package org.vitalvault.senml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Invariants of the two encodings together: same pack, same result; encode then decode is identity. */
class SenmlCodecPropertiesTest {

    private static final double NOW = 1_780_000_000d;
    private static final double TWO_TO_THE_28 = 268_435_456d;
    /** Every SenML label; jqwik favours the first and last as edge cases, so those are harmless ones. */
    private static final String[] LABELS = {"u", "bver", "bn", "bt", "bu", "bv", "bs", "n", "v", "vs", "vb", "s", "vd",
        "t", "ut"};

    private final SenmlJsonDecoder json = new SenmlJsonDecoder(1 << 20, 1000);
    private final SenmlCborDecoder cbor = new SenmlCborDecoder(1 << 20, 1000);

    @Property(tries = 1000)
    void jsonAndCborResolveTheSamePackToTheSameResult(@ForAll("abstractPacks") List<List<TestPacks.Field>> pack) {
        SenmlResult fromJson = json.decode(TestPacks.json(pack), NOW);
        SenmlResult fromCbor = cbor.decode(TestPacks.cbor(pack), NOW);
        Statistics.label("packs").collect(fromJson.records().isEmpty() ? "no record accepted" : "some accepted");
        fromJson.rejections().forEach(r -> Statistics.label("rejections").collect(r.reason()));
        assertEquals(fromJson, fromCbor);
    }

    @Property(tries = 500)
    void jsonEncodingRoundTripsExactly(@ForAll("recordLists") List<SenmlRecord> records) {
        assertEquals(new SenmlResult(records, List.of()), json.decode(new SenmlJsonEncoder().encode(records), NOW));
    }

    @Property(tries = 500)
    void cborEncodingRoundTripsExactly(@ForAll("recordLists") List<SenmlRecord> records) {
        assertEquals(new SenmlResult(records, List.of()), cbor.decode(new SenmlCborEncoder().encode(records), NOW));
    }

    @Provide
    Arbitrary<List<SenmlRecord>> recordLists() {
        Arbitrary<String> names = Combinators.combine(
                        Arbitraries.of("", "urn:dev:ow:10e2073a01080063:", "urn:dev:mac:0024befffe804ff1/", "2001:db8::2/",
                                "dev:", "a"),
                        Arbitraries.oneOf(Arbitraries.of("heart_rate", "spo2", "body_temp", "glucose", "x", ""),
                                Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789-:./_").ofMaxLength(12)))
                .as((prefix, metric) -> prefix + metric)
                .filter(SenmlResolver::isValidName);
        Arbitrary<String> units = Arbitraries.of("/min", "%", "Cel", "mmol/L", "\u00b5g", "", "beat/min").injectNull(0.3);
        Arbitrary<Double> values = Arbitraries.oneOf(
                Arbitraries.doubles().filter(Double::isFinite),
                Arbitraries.doubles().between(-500, 500).ofScale(3),
                Arbitraries.of(-0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e15, 9_007_199_254_740_993d, 0.1));
        Arbitrary<Double> baseTimes = Arbitraries.oneOf(
                Arbitraries.doubles().between(TWO_TO_THE_28, 4.2e9),
                Arbitraries.doubles().between(1.7e9, 1.9e9).ofScale(3));
        Arbitrary<Double> offsets = Arbitraries.oneOf(
                Arbitraries.doubles().between(-86_400, 86_400).ofScale(3),
                Arbitraries.just(0d),
                Arbitraries.doubles().between(-4e9, 4e9));
        return baseTimes.flatMap(base -> Combinators.combine(names, units, values, offsets)
                .as((name, unit, value, offset) -> new Object[] {name, unit, value, offset})
                .list().ofMinSize(1).ofMaxSize(20)
                .map(rows -> {
                    List<SenmlRecord> records = new ArrayList<>();
                    for (Object[] row : rows) {
                        double time = base + (Double) row[3];
                        records.add(new SenmlRecord((String) row[0], (String) row[1], (Double) row[2],
                                time < TWO_TO_THE_28 ? base : time, records.size()));
                    }
                    return records;
                }));
    }

    @Provide
    Arbitrary<List<List<TestPacks.Field>>> abstractPacks() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("hr", "dev:", "dev:hr", "urn:dev:ow:1/", "spo2", "Cel", "/min", "")),
                Tuple.of(1, Arbitraries.of("a b", "-x", "\u00e9")),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').withChars(":/_-. \u00b5\u00e9\u6c34").ofMaxLength(8)));
        Arbitrary<Double> numbers = Arbitraries.oneOf(
                Arbitraries.of(0d, -0.0, 1d, -5d, 5d, 10d, 11d, 60.5, 1e308, -1e308, 268_435_456d, 1.78e9, 1.78e9 + 0.5),
                Arbitraries.doubles().between(-100, 100).ofScale(1),
                Arbitraries.doubles().between(-1e9, 4e9).ofScale(2),
                Arbitraries.doubles().filter(Double::isFinite))
                // JSON writes integral doubles from 10^15 on as floats, CBOR as integers: only bver tells them apart
                .filter(d -> !(d == Math.rint(d) && Math.abs(d) >= 1e15));
        Arbitrary<Object> anyValue = Arbitraries.oneOf(
                text.map(s -> (Object) s),
                numbers.map(d -> (Object) d),
                Arbitraries.longs().between(-3, 12).map(l -> (Object) l),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> dataValue = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(b -> (Object) b),
                numbers.map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<String> extensions = Arbitraries.of("quality", "x_", "bscale_", "bfoo", "note", "n2");
        // Mostly the label's own type, so that resolution is exercised, sometimes any type at all.
        Arbitrary<TestPacks.Field> labelledField = Arbitraries.of(LABELS).flatMap(label -> {
            Arbitrary<Object> typed = switch (SenmlLabel.fromJson(label).kind) {
                case TEXT -> text.map(v -> (Object) v);
                case NUMBER -> numbers.map(v -> (Object) v);
                case VERSION -> Arbitraries.longs().between(1, 11).map(v -> (Object) v);
                case BOOLEAN -> Arbitraries.of(true, false).map(v -> (Object) v);
                case DATA -> Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(v -> (Object) v);
            };
            Arbitrary<Object> untyped = "vd".equals(label) ? dataValue : anyValue;
            return Arbitraries.frequencyOf(Tuple.of(9, typed), Tuple.of(1, untyped))
                    .map(value -> new TestPacks.Field(label, value));
        });
        Arbitrary<TestPacks.Field> randomField = Arbitraries.frequencyOf(
                Tuple.of(5, labelledField),
                Tuple.of(1, Combinators.combine(extensions, Arbitraries.oneOf(anyValue, dataValue))
                        .as(TestPacks.Field::new)));
        Arbitrary<List<TestPacks.Field>> record = Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("hr", "spo2", "dev:hr")),
                                Tuple.of(1, Arbitraries.just("x y"))).injectNull(0.15),
                        numbers.injectNull(0.15),
                        randomField.list().ofMaxSize(3))
                .as((name, value, others) -> {
                    List<TestPacks.Field> fields = new ArrayList<>();
                    if (name != null) {
                        fields.add(new TestPacks.Field("n", name));
                    }
                    if (value != null) {
                        fields.add(new TestPacks.Field("v", value));
                    }
                    fields.addAll(others);
                    return fields;
                });
        return record.injectNull(0.05).list().ofMinSize(1).ofMaxSize(8);
    }
}
