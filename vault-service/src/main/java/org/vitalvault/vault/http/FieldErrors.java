package org.vitalvault.vault.http;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every invalid field of one request, so a client learns all of them in one 400 problem
 * instead of one per round trip.
 */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** Records that {@code field} (a dotted JSON path, e.g. {@code terms.metrics}) is invalid. */
    public void add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    /** Records every error of {@code other}. */
    public void addAll(FieldErrors other) {
        errors.addAll(other.errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws ProblemException 400 {@code invalid-input} listing every recorded field, if there is one */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            throw new ProblemException(400, "invalid-input", "Invalid input", detail, List.copyOf(errors));
        }
    }
}
