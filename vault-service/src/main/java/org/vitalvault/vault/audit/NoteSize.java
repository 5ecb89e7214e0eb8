package org.vitalvault.vault.audit;

/**
 * The tree size a witness reads from a checkpoint note it already holds (the note's second line,
 * C2SP tlog-checkpoint), without checking the signature: witnesses compare sizes only to refuse to
 * go backwards, and hold only what the vault itself wrote or its publisher user published.
 */
final class NoteSize {

    private NoteSize() {
    }

    /** The size, or -1 when {@code note} does not look like a checkpoint. */
    static long of(String note) {
        String[] lines = note.split("\n", 3);
        if (lines.length < 3 || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
            return -1;
        }
        try {
            return Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
