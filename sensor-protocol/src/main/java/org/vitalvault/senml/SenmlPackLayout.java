package org.vitalvault.senml;

import java.util.ArrayList;
import java.util.List;

/**
 * How resolved records are laid out as a SenML pack, shared by the JSON and CBOR encoders: which
 * base fields the first record carries and what remains in each record. Factoring is done only
 * where resolving the pack gives back exactly the same name, unit and time:
 * <ul>
 *   <li>{@code bn}: the longest common prefix of all names that ends in ':' or '/', if any;</li>
 *   <li>{@code bt}: the first record's time, if every time is absolute (≥ 2^28) and
 *       {@code bt + (t - bt) == t} holds exactly for each (true for times within a factor of
 *       two of each other, by Sterbenz's lemma);</li>
 *   <li>{@code bu}: the first record's unit, if no record lacks a unit (a record cannot unset a
 *       base unit).</li>
 * </ul>
 */
record SenmlPackLayout(String baseName, Double baseTime, String baseUnit, List<Entry> entries) {

    /** What one record still carries: null fields are omitted. */
    record Entry(String name, String unit, double value, Double time) {

        @Override
        public String toString() {
            return "Entry[" + name + ", value=<hidden>]";
        }
    }

    SenmlPackLayout {
        entries = List.copyOf(entries);
    }

    /**
     * @throws IllegalArgumentException if there are no records, a name breaks RFC 8428 §4.5.1, or a
     *                                  value or time is not finite (the message names the record's
     *                                  position, never its value)
     */
    static SenmlPackLayout of(List<SenmlRecord> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a pack needs at least one record (RFC 8428 §3)");
        }
        for (int i = 0; i < records.size(); i++) {
            SenmlRecord record = records.get(i);
            if (record.name() == null || !SenmlResolver.isValidName(record.name())) {
                throw new IllegalArgumentException("record " + i + ": name must use only A-Z a-z 0-9 - : . / _"
                        + " and start with a letter or digit (RFC 8428 §4.5.1)");
            }
            if (!Double.isFinite(record.value()) || !Double.isFinite(record.timeSeconds())) {
                throw new IllegalArgumentException("record " + i + ": value and time must be finite");
            }
        }
        String baseName = commonNamePrefix(records);
        Double baseTime = exactBaseTime(records);
        String baseUnit = commonBaseUnit(records);
        List<Entry> entries = new ArrayList<>(records.size());
        for (SenmlRecord record : records) {
            String name = record.name().substring(baseName.length());
            String unit = record.unit() != null && record.unit().equals(baseUnit) ? null : record.unit();
            Double time;
            if (baseTime == null) {
                time = record.timeSeconds();
            } else {
                double offset = record.timeSeconds() - baseTime;
                time = offset == 0 ? null : offset;
            }
            entries.add(new Entry(name.isEmpty() ? null : name, unit, record.value(), time));
        }
        return new SenmlPackLayout(baseName, baseTime, baseUnit, entries);
    }

    private static String commonNamePrefix(List<SenmlRecord> records) {
        String prefix = records.get(0).name();
        for (SenmlRecord record : records) {
            String name = record.name();
            int length = 0;
            int limit = Math.min(prefix.length(), name.length());
            while (length < limit && prefix.charAt(length) == name.charAt(length)) {
                length++;
            }
            prefix = prefix.substring(0, length);
        }
        int separator = Math.max(prefix.lastIndexOf(':'), prefix.lastIndexOf('/'));
        return prefix.substring(0, separator + 1);
    }

    private static Double exactBaseTime(List<SenmlRecord> records) {
        double baseTime = records.get(0).timeSeconds();
        for (SenmlRecord record : records) {
            double time = record.timeSeconds();
            if (time < SenmlResolver.RELATIVE_TIME_LIMIT || baseTime + (time - baseTime) != time) {
                return null;
            }
        }
        return baseTime;
    }

    private static String commonBaseUnit(List<SenmlRecord> records) {
        for (SenmlRecord record : records) {
            if (record.unit() == null) {
                return null;
            }
        }
        return records.get(0).unit();
    }
}
