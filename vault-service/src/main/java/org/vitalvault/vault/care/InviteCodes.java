package org.vitalvault.vault.care;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Invite codes: 16 symbols of Crockford's base32 (80 random bits), shown as four groups of four
 * ({@code 7KQ2-M9XD-4TRA-0P8C}) to be read aloud or typed. Stored as
 * {@code SHA-256("vitalvault/v1/care/invite" || 0x00 || normalized code)}: 80 bits cannot be
 * searched from a dump, so no key is needed (an owner's subject, guessable, does need one).
 * Typing is forgiving: case, spaces and dashes do not matter, O reads as 0, I and L as 1.
 */
public final class InviteCodes {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int SYMBOLS = 16;
    private static final byte[] LABEL = "vitalvault/v1/care/invite".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private InviteCodes() {
    }

    /** A fresh code, grouped for reading. */
    public static String generate() {
        StringBuilder code = new StringBuilder(SYMBOLS + 3);
        for (int i = 0; i < SYMBOLS; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return code.toString();
    }

    /** What a code is stored and looked up as; any text (a mistyped code too) hashes to something. */
    public static byte[] hash(String typed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(LABEL);
            sha.update((byte) 0);
            return sha.digest(normalize(typed).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String normalize(String typed) {
        StringBuilder out = new StringBuilder(SYMBOLS);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case ' ', '-', '\t' -> { }
                case 'O' -> out.append('0');
                case 'I', 'L' -> out.append('1');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
