package org.vitalvault.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.vitalvault.cbor.CborWriter;

/**
 * Test support: writes one abstract pack (records as lists of label/value fields) both as SenML
 * JSON and as SenML CBOR, transcodes the RFC's JSON examples to CBOR, and loads test resources.
 */
final class TestPacks {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A field: {@code label} in its JSON spelling (written as its integer in CBOR) or an extension
     * label (text in both). Values: String, Double, Long, Boolean, or byte[] (vd: base64url text in
     * JSON, byte string in CBOR).
     */
    record Field(String label, Object value) {
    }

    private TestPacks() {
    }

    /** A null record stands for a pack element that is not a record (the number 7). */
    static byte[] json(List<List<Field>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (List<Field> record : records) {
                if (record == null) {
                    json.writeNumber(7);
                    continue;
                }
                json.writeStartObject();
                for (Field field : record) {
                    json.writeFieldName(field.label());
                    Object value = field.value();
                    if (value instanceof String text) {
                        json.writeString(text);
                    } else if (value instanceof Double number) {
                        json.writeNumber(SenmlJsonEncoder.number(number));
                    } else if (value instanceof Long integer) {
                        json.writeNumber(integer);
                    } else if (value instanceof Boolean bool) {
                        json.writeBoolean(bool);
                    } else if (value instanceof byte[] bytes) {
                        json.writeString(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                    } else {
                        throw new IllegalArgumentException("unsupported test value type");
                    }
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] cbor(List<List<Field>> records) {
        CborWriter cbor = new CborWriter().writeArrayStart(records.size());
        for (List<Field> record : records) {
            if (record == null) {
                cbor.writeInteger(7);
                continue;
            }
            cbor.writeMapStart(record.size());
            for (Field field : record) {
                SenmlLabel label = SenmlLabel.fromJson(field.label());
                if (label != null) {
                    cbor.writeInteger(label.cbor);
                } else {
                    cbor.writeText(field.label());
                }
                Object value = field.value();
                if (value instanceof String text) {
                    cbor.writeText(text);
                } else if (value instanceof Double number) {
                    cbor.writeNumber(number);
                } else if (value instanceof Long integer) {
                    cbor.writeInteger(integer);
                } else if (value instanceof Boolean bool) {
                    cbor.writeBoolean(bool);
                } else if (value instanceof byte[] bytes) {
                    cbor.writeBytes(bytes);
                } else {
                    throw new IllegalArgumentException("unsupported test value type");
                }
            }
        }
        return cbor.toByteArray();
    }

    /** The CBOR form (§6) of a SenML JSON pack: integer labels, vd as bytes, numbers as compact as exact. */
    static byte[] jsonToCbor(byte[] json) {
        try {
            CborWriter cbor = new CborWriter();
            writeCbor(MAPPER.readTree(json), null, cbor);
            return cbor.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCbor(JsonNode node, String label, CborWriter cbor) {
        if (node.isArray()) {
            cbor.writeArrayStart(node.size());
            node.forEach(element -> writeCbor(element, null, cbor));
        } else if (node.isObject()) {
            cbor.writeMapStart(node.size());
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                SenmlLabel known = SenmlLabel.fromJson(field.getKey());
                if (known != null) {
                    cbor.writeInteger(known.cbor);
                } else {
                    cbor.writeText(field.getKey());
                }
                writeCbor(field.getValue(), field.getKey(), cbor);
            }
        } else if (node.isTextual() && "vd".equals(label)) {
            cbor.writeBytes(Base64.getUrlDecoder().decode(node.asText()));
        } else if (node.isTextual()) {
            cbor.writeText(node.asText());
        } else if (node.isNumber()) {
            cbor.writeNumber(node.asDouble());
        } else if (node.isBoolean()) {
            cbor.writeBoolean(node.asBoolean());
        } else {
            cbor.writeNull();
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = TestPacks.class.getResourceAsStream("/senml/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource senml/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of a hex dump resource: '#' lines skipped, first column (offset) dropped. */
    static byte[] hexDumpResource(String name) {
        StringBuilder hex = new StringBuilder();
        for (String line : new String(resource(name), StandardCharsets.US_ASCII).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.trim().split("\\s+");
            for (int i = 1; i < columns.length; i++) {
                hex.append(columns[i]);
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
