package org.vitalvault.tlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The C2SP signed-note format with Ed25519: the text (ending in a newline), an empty line, then one
 * line per signature {@code "— " name " " base64(keyId || signature)}. The signature covers the
 * text's UTF-8 bytes. Signing takes the signature function, so the private key never leaves its
 * holder.
 */
public final class SignedNote {

    private static final String DASH = "\u2014 ";

    private SignedNote() {
    }

    /**
     * Signs {@code text} (one or more newline-terminated lines) as {@code key}; {@code ed25519} returns
     * the 64-byte Ed25519 signature of the bytes it is given.
     */
    public static String sign(String text, NoteKey key, UnaryOperator<byte[]> ed25519) {
        checkText(text);
        byte[] sig = ed25519.apply(text.getBytes(StandardCharsets.UTF_8));
        if (sig.length != 64) {
            throw new IllegalStateException("an Ed25519 signature has 64 bytes");
        }
        byte[] idAndSig = new byte[68];
        System.arraycopy(key.keyId(), 0, idAndSig, 0, 4);
        System.arraycopy(sig, 0, idAndSig, 4, 64);
        return text + "\n" + DASH + key.name() + " " + Base64.getEncoder().encodeToString(idAndSig) + "\n";
    }

    /**
     * Returns the text of {@code note} when one of its signature lines is a valid signature by
     * {@code key}; signatures by other keys are ignored, as signed-note says.
     */
    public static String open(String note, NoteKey key) throws ProofException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new ProofException("a signed note has an empty line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String sigs = note.substring(split + 2);
        if (!sigs.endsWith("\n") || sigs.length() < 2) {
            throw new ProofException("a signed note ends with signature lines");
        }
        try {
            checkText(text);
        } catch (IllegalArgumentException e) {
            throw new ProofException(e.getMessage());
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        boolean named = false;
        for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
            if (!line.startsWith(DASH)) {
                throw new ProofException("malformed signature line");
            }
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2) {
                throw new ProofException("malformed signature line");
            }
            byte[] idAndSig;
            try {
                idAndSig = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new ProofException("signature is not base64");
            }
            if (!parts[0].equals(key.name()) || idAndSig.length < 4
                    || !Arrays.equals(Arrays.copyOf(idAndSig, 4), key.keyId())) {
                continue;
            }
            named = true;
            if (idAndSig.length == 68 && verify(key.publicKey(), message, Arrays.copyOfRange(idAndSig, 4, 68))) {
                return text;
            }
        }
        throw new ProofException(named ? "the signature by " + key.name() + " does not verify"
                : "the note has no signature by " + key.name());
    }

    private static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static void checkText(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text ends with a newline");
        }
        if (text.contains("\n\n")) {
            throw new IllegalArgumentException("a note's text has no empty line");
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\n' && Character.isISOControl(ch)) {
                throw new IllegalArgumentException("a note's text has no control characters");
            }
        }
    }
}
