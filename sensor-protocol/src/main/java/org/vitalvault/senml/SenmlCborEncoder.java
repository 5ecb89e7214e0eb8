package org.vitalvault.senml;

import java.util.List;
import org.vitalvault.cbor.CborWriter;

/**
 * Writes records as a SenML CBOR pack (RFC 8428 §6: integer labels, definite-length array), for
 * devices, the simulator and tests, with {@code bn}, {@code bt} and {@code bu} factored out where
 * that is exact (see {@link SenmlPackLayout}).
 *
 * <p>Guarantee: {@link SenmlCborDecoder} reads the pack back as exactly the same records, provided
 * times are absolute (≥ 2^28 s). Numbers use the compact forms §6 allows and that convert back to
 * the same double: integers when integral (up to 2^53), else the shortest exact float.
 *
 * <p>Thread-safe.
 */
public final class SenmlCborEncoder {

    /**
     * @throws IllegalArgumentException if {@code records} is empty, a name breaks RFC 8428 §4.5.1, or
     *                                  a value or time is not finite
     */
    public byte[] encode(List<SenmlRecord> records) {
        SenmlPackLayout layout = SenmlPackLayout.of(records);
        CborWriter cbor = new CborWriter();
        cbor.writeArrayStart(layout.entries().size());
        boolean first = true;
        for (SenmlPackLayout.Entry entry : layout.entries()) {
            boolean withBaseName = first && !layout.baseName().isEmpty();
            boolean withBaseTime = first && layout.baseTime() != null;
            boolean withBaseUnit = first && layout.baseUnit() != null;
            cbor.writeMapStart(count(withBaseName) + count(withBaseTime) + count(withBaseUnit)
                    + count(entry.name() != null) + count(entry.unit() != null) + 1 + count(entry.time() != null));
            if (withBaseName) {
                cbor.writeInteger(SenmlLabel.BASE_NAME.cbor).writeText(layout.baseName());
            }
            if (withBaseTime) {
                cbor.writeInteger(SenmlLabel.BASE_TIME.cbor).writeNumber(layout.baseTime());
            }
            if (withBaseUnit) {
                cbor.writeInteger(SenmlLabel.BASE_UNIT.cbor).writeText(layout.baseUnit());
            }
            if (entry.name() != null) {
                cbor.writeInteger(SenmlLabel.NAME.cbor).writeText(entry.name());
            }
            if (entry.unit() != null) {
                cbor.writeInteger(SenmlLabel.UNIT.cbor).writeText(entry.unit());
            }
            cbor.writeInteger(SenmlLabel.VALUE.cbor).writeNumber(entry.value());
            if (entry.time() != null) {
                cbor.writeInteger(SenmlLabel.TIME.cbor).writeNumber(entry.time());
            }
            first = false;
        }
        return cbor.toByteArray();
    }

    private static int count(boolean present) {
        return present ? 1 : 0;
    }
}
