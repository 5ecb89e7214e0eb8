package org.vitalvault.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Devices learn what a reason means from {@code docs/protocol/rejection-reasons.md}: every code the
 * gateway can send must have a row there, and no row may name a code the gateway never sends.
 */
class RejectionReasonsDocumentedTest {

    /** Relative to the module, where Maven runs the tests. */
    private static final Path TABLE = Path.of("../docs/protocol/rejection-reasons.md");

    /** One table row: the code and the two explanations. */
    private record Row(String code, String meaning, String action) {
    }

    @Test
    void everyReasonHasExactlyOneRowAndEveryRowIsAReason() throws IOException {
        List<Row> rows = rows(Files.readAllLines(TABLE, StandardCharsets.UTF_8));
        List<String> documented = rows.stream().map(Row::code).toList();
        Set<String> codes = Arrays.stream(RejectionReason.values()).map(RejectionReason::code)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(new LinkedHashSet<>(documented).size(), documented.size(), "a code is listed twice: " + documented);
        Set<String> missing = new TreeSet<>(codes);
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "reasons without a row in " + TABLE);
        Set<String> undocumented = new TreeSet<>(documented);
        undocumented.removeAll(codes);
        assertEquals(Set.of(), undocumented, "rows in " + TABLE + " for codes the gateway never sends");
    }

    @Test
    void everyRowSaysWhatTheCodeMeansAndWhatTheDeviceShouldDo() throws IOException {
        for (Row row : rows(Files.readAllLines(TABLE, StandardCharsets.UTF_8))) {
            assertFalse(row.meaning().isBlank(), row.code() + " has no meaning");
            assertFalse(row.action().isBlank(), row.code() + " says nothing about what the device should do");
        }
    }

    @Test
    void codesAreStableLowerCaseWords() {
        for (RejectionReason reason : RejectionReason.values()) {
            assertTrue(reason.code().matches("[a-z]+(-[a-z]+)*"), reason.code());
            assertEquals(reason, RejectionReason.fromCode(reason.code()).orElseThrow());
        }
    }

    @Test
    void parserFindsCodesInARowAndIgnoresProse() {
        List<Row> rows = rows(List.of(
                "Text with `out-of-range` in prose.",
                "| Code | Meaning | What the device should do |",
                "|---|---|---|",
                "| `malformed-topic` | Not `readings/{id}/json\\|cbor`. | Fix it. |"));
        assertEquals(List.of(new Row("malformed-topic", "Not `readings/{id}/json\\|cbor`.", "Fix it.")), rows);
    }

    /** The rows of the table whose first cell is one code in backticks; header and separator are skipped. */
    private static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("| `")) {
                continue;
            }
            // Split on '|' not escaped as '\|' (markdown's way to put a pipe inside a cell).
            String[] cells = trimmed.substring(1, trimmed.length() - 1).split("(?<!\\\\)\\|", -1);
            assertEquals(3, cells.length, "a row needs code, meaning and action: " + line);
            String code = cells[0].trim();
            assertTrue(code.matches("`[^`]+`"), "first cell must be one code in backticks: " + line);
            rows.add(new Row(code.substring(1, code.length() - 1), cells[1].trim(), cells[2].trim()));
        }
        return rows;
    }
}
