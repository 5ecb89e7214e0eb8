package org.vitalvault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The vault said no: an RFC 9457 problem (status, type, title, detail, and the vault's field
 * errors or policy reason codes when it gave them). {@link #describe} is what the commands print.
 */
public final class VaultRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final List<String> lines;

    private VaultRefusal(String call, int status, String type, String title, String detail, List<String> lines) {
        super(call + " answered " + status + (title == null ? "" : " " + title), null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.lines = List.copyOf(lines);
    }

    static VaultRefusal of(String call, VaultHttp.Answer a) {
        JsonNode p = null;
        try {
            p = a.body().length == 0 ? null : JSON.readTree(a.body());
        } catch (java.io.IOException e) {
            // not JSON: reported as text below
        }
        if (p == null || !p.isObject()) {
            String text = a.text().strip();
            return new VaultRefusal(call, a.status(), null, null,
                    text.isEmpty() ? null : text.substring(0, Math.min(300, text.length())), List.of());
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode e : p.path("errors")) {
            lines.add("field " + e.path("field").asText() + ": " + e.path("message").asText());
        }
        for (JsonNode r : p.path("reasons")) {
            lines.add("reason " + r.path("code").asText() + (r.hasNonNull("message") ? ": " + r.path("message").asText() : ""));
        }
        return new VaultRefusal(call, a.status(), text(p, "type"), text(p, "title"), text(p, "detail"), lines);
    }

    private static String text(JsonNode p, String field) {
        return p.hasNonNull(field) ? p.get(field).asText() : null;
    }

    public int status() {
        return status;
    }

    /** The problem type URI, or null. */
    public String type() {
        return type;
    }

    /** The lines printed for a person: the call, status and title, the detail, each field error and reason. */
    public String describe() {
        StringBuilder s = new StringBuilder("error: ").append(getMessage());
        if (detail != null) {
            s.append("\n  ").append(detail);
        }
        for (String line : lines) {
            s.append("\n  ").append(line);
        }
        return s.toString();
    }
}
