package org.vitalvault.vault.refusal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The request itself is wrong: it names every invalid field (a dotted JSON path as the client wrote
 * it, e.g. {@code terms.metrics}) with what the field must be. Code {@code invalid-input}.
 */
public final class InvalidInput extends Refusal {

    private final List<FieldError> errors;

    public InvalidInput(List<FieldError> errors) {
        this("invalid-input", "Invalid input", errors);
    }

    /**
     * An invalid input of its own kind, for a refusal clients switch on (e.g. {@code too-many-readings}:
     * ask for a coarser resolution).
     */
    public InvalidInput(String code, String title, List<FieldError> errors) {
        super(code, title,
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), null);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid input names at least one field");
        }
        this.errors = List.copyOf(errors);
    }

    /** One invalid field. */
    public static InvalidInput field(String field, String message) {
        return new InvalidInput(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One invalid input field and what it must be. */
    public record FieldError(String field, String message) {
    }
}
