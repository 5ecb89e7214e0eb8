package org.vitalvault.vault.emergency;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * An emergency code as a person reads it off a card or a lock screen: 16 symbols of Crockford's
 * base 32 (no I, L, O, U) in four groups of four, {@code 7K3M-QX9D-2RTV-H4PN}: 80 random bits.
 * Reading it back forgives what people do to codes: case, spaces or dashes anywhere, O for 0 and
 * I or L for 1. Plain Java; the vault hashes the canonical form ({@link EmergencyCodes}).
 */
public final class EmergencyCode {

    /** Crockford's base 32: digits and letters without I, L, O, U. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    /** Symbols in a code: 16 × 5 bits = 80 bits. */
    public static final int LENGTH = 16;
    /** Entropy of a code in bits. */
    public static final int BITS = LENGTH * 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private EmergencyCode() {
    }

    /** A fresh random code, grouped for reading: {@code XXXX-XXXX-XXXX-XXXX}. */
    public static String generate() {
        StringBuilder s = new StringBuilder(LENGTH + 3);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                s.append('-');
            }
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /**
     * The canonical form (16 symbols, upper case, no separators) of what someone typed, or empty when
     * it cannot be a code at all. Empty is not a refusal of its own: the caller treats it as a wrong code.
     */
    public static Optional<String> canonical(String typed) {
        if (typed == null || typed.length() > 64) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(LENGTH);
        for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            char c = switch (ch) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> ch;
            };
            if (c == '-' || c == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0) {
                return Optional.empty();
            }
            s.append(c);
        }
        return s.length() == LENGTH ? Optional.of(s.toString()) : Optional.empty();
    }
}
