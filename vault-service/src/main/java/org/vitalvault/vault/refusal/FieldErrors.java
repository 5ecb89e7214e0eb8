package org.vitalvault.vault.refusal;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of one request, so a client learns all of them in one refusal
 * instead of one per round trip.
 */
public final class FieldErrors {

    private final List<InvalidInput.FieldError> errors = new ArrayList<>();

    /** Records that {@code field} (a dotted JSON path, e.g. {@code terms.metrics}) is invalid. */
    public void add(String field, String message) {
        errors.add(new InvalidInput.FieldError(field, message));
    }

    /** Records every error of {@code other}. */
    public void addAll(FieldErrors other) {
        errors.addAll(other.errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws InvalidInput listing every recorded field, if there is one */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInput(List.copyOf(errors));
        }
    }
}
