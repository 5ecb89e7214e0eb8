package org.vitalvault.senml;

/**
 * The SenML labels of RFC 8428 (Table 1): JSON spelling, CBOR integer (§6, Table 4), and the type a
 * field must have. Base fields are the labels that start with 'b' (§4.6).
 */
enum SenmlLabel {
    BASE_VERSION("bver", -1, Kind.VERSION),
    BASE_NAME("bn", -2, Kind.TEXT),
    BASE_TIME("bt", -3, Kind.NUMBER),
    BASE_UNIT("bu", -4, Kind.TEXT),
    BASE_VALUE("bv", -5, Kind.NUMBER),
    BASE_SUM("bs", -6, Kind.NUMBER),
    NAME("n", 0, Kind.TEXT),
    UNIT("u", 1, Kind.TEXT),
    VALUE("v", 2, Kind.NUMBER),
    STRING_VALUE("vs", 3, Kind.TEXT),
    BOOLEAN_VALUE("vb", 4, Kind.BOOLEAN),
    SUM("s", 5, Kind.NUMBER),
    TIME("t", 6, Kind.NUMBER),
    UPDATE_TIME("ut", 7, Kind.NUMBER),
    DATA_VALUE("vd", 8, Kind.DATA);

    /** The type a field's value must have; a field of another type makes its record malformed. */
    enum Kind {
        TEXT,
        NUMBER,
        /** A positive integer. */
        VERSION,
        BOOLEAN,
        /** JSON: base64url text; CBOR: a byte string (§6). */
        DATA
    }

    private static final int LOWEST_CBOR_LABEL = -6;
    private static final SenmlLabel[] BY_CBOR_LABEL = new SenmlLabel[15];

    static {
        for (SenmlLabel label : values()) {
            BY_CBOR_LABEL[label.cbor - LOWEST_CBOR_LABEL] = label;
        }
    }

    final String json;
    final int cbor;
    final Kind kind;
    final boolean base;
    final int bit;

    SenmlLabel(String json, int cbor, Kind kind) {
        this.json = json;
        this.cbor = cbor;
        this.kind = kind;
        this.base = cbor < 0;
        this.bit = 1 << ordinal();
    }

    /** The label with this JSON spelling, or null for an extension label. */
    static SenmlLabel fromJson(String label) {
        switch (label) {
            case "bver": return BASE_VERSION;
            case "bn": return BASE_NAME;
            case "bt": return BASE_TIME;
            case "bu": return BASE_UNIT;
            case "bv": return BASE_VALUE;
            case "bs": return BASE_SUM;
            case "n": return NAME;
            case "u": return UNIT;
            case "v": return VALUE;
            case "vs": return STRING_VALUE;
            case "vb": return BOOLEAN_VALUE;
            case "s": return SUM;
            case "t": return TIME;
            case "ut": return UPDATE_TIME;
            case "vd": return DATA_VALUE;
            default: return null;
        }
    }

    /** The label with this CBOR integer, or null: §6 says no other integers will be defined. */
    static SenmlLabel fromCbor(long label) {
        if (label < LOWEST_CBOR_LABEL || label >= LOWEST_CBOR_LABEL + BY_CBOR_LABEL.length) {
            return null;
        }
        return BY_CBOR_LABEL[(int) label - LOWEST_CBOR_LABEL];
    }

    /** RFC 8428 §4.4: an unrecognised label ending in '_' must be understood, so it is an error. */
    static boolean isMustUnderstand(String extensionLabel) {
        return extensionLabel.endsWith("_");
    }
}
