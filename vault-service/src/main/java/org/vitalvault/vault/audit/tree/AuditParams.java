package org.vitalvault.vault.audit.tree;

import org.vitalvault.vault.refusal.InvalidInput;

/**
 * The log endpoints' query parameters, taken as text so a bad value is a 400 naming the parameter
 * (not the 404 JAX-RS answers for an unconvertible one), as {@code PageParams} does.
 */
final class AuditParams {

    /** Entries per page unless asked otherwise. */
    static final int DEFAULT_LIMIT = 100;
    /** The most entries one page holds (each with a proof of up to ~2·log2(n) hashes). */
    static final int MAX_LIMIT = 1000;

    private AuditParams() {
    }

    static int limit(String given) {
        return (int) parse("limit", given, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    /** A whole number from {@code min} to {@code max}; {@code absent} when not given (null: required). */
    static Long optional(String name, String given, long min, long max) {
        if (given == null || given.isBlank()) {
            return null;
        }
        return parse(name, given, 0, min, max);
    }

    static long parse(String name, String given, long absent, long min, long max) {
        if (given == null || given.isBlank()) {
            return absent;
        }
        try {
            long value = Long.parseLong(given.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, with the allowed range
        }
        throw InvalidInput.field(name, max == Long.MAX_VALUE ? "must be a whole number from " + min
                : "must be a whole number from " + min + " to " + max);
    }

    static long required(String name, String given, long min) {
        if (given == null || given.isBlank()) {
            throw InvalidInput.field(name, "is required: a whole number from " + min);
        }
        return parse(name, given, 0, min, Long.MAX_VALUE);
    }
}
