package org.vitalvault.crypto;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * HPKE (RFC 9180) in base mode for the single suite DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256,
 * with either AES-128-GCM ({@link #AEAD_AES_128_GCM}) or export-only ({@link #AEAD_EXPORT_ONLY}).
 *
 * <p>Format: {@code enc} is the sender's 32-byte ephemeral X25519 public key; sealed messages are
 * AES-128-GCM ciphertext plus 16-byte tag, with the nonce implied by the sequence number.
 *
 * <p>Guarantees: only the holder of the recipient private key can derive the context's secrets,
 * so a sender (such as the gateway) that has forgotten its ephemeral key cannot. Limits: base
 * mode does not authenticate the sender, so anyone with the recipient public key can produce a
 * valid context; {@code export} never fails, so a wrong private key silently yields different
 * secrets that only a later AEAD check will reveal. Contexts are stateful (sequence number) and
 * not thread-safe. The cryptography is BouncyCastle's {@link HPKE}; this class narrows it to one
 * suite and hides its mutable, non-thread-safe objects.
 */
public final class Hpke {

    /** RFC 9180 AEAD id for AES-128-GCM. */
    public static final short AEAD_AES_128_GCM = HPKE.aead_AES_GCM128;
    /** RFC 9180 AEAD id 0xFFFF: the context can only {@link Context#export export} secrets. */
    public static final short AEAD_EXPORT_ONLY = HPKE.aead_EXPORT_ONLY;
    /** Length of {@code enc} (an X25519 public key). */
    public static final int ENC_LENGTH = 32;
    /** RFC 9180 bound on one export: 255 * Nh for HKDF-SHA256. */
    public static final int MAX_EXPORT_LENGTH = 255 * 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Hpke() {
    }

    /**
     * SetupBaseS with a fresh random ephemeral key.
     *
     * @throws IllegalArgumentException if the public key is not 32 bytes or is a low-order point
     */
    public static SenderContext setupBaseSender(
            byte[] recipientPublicKey, byte[] info, short aeadId) {
        HPKE suite = suite(aeadId);
        X25519PrivateKeyParameters skE = new X25519PrivateKeyParameters(RANDOM);
        return sender(suite, recipientPublicKey, info, aeadId,
                new AsymmetricCipherKeyPair(skE.generatePublicKey(), skE));
    }

    /**
     * SetupBaseS with the ephemeral key derived from {@code ikmE}, as in the RFC 9180 test
     * vectors. Dangerous outside tests: a repeated {@code ikmE} repeats every secret of the
     * context, and whoever knows {@code ikmE} can decrypt. Package-private on purpose.
     */
    static SenderContext setupBaseSenderDeterministicForTests(
            byte[] recipientPublicKey, byte[] info, short aeadId, byte[] ikmE) {
        HPKE suite = suite(aeadId);
        return sender(suite, recipientPublicKey, info, aeadId, suite.deriveKeyPair(ikmE));
    }

    /**
     * SetupBaseR: re-derives the sender's context from {@code enc} and the recipient private key.
     *
     * @throws IllegalArgumentException if the private key is not 32 bytes
     * @throws SealBrokenException if {@code enc} is not a usable X25519 public key, since it comes
     *     from stored (untrusted) data
     */
    public static Context setupBaseReceiver(
            byte[] enc, byte[] recipientPrivateKey, byte[] info, short aeadId) {
        Objects.requireNonNull(enc, "enc");
        Objects.requireNonNull(recipientPrivateKey, "recipientPrivateKey");
        Objects.requireNonNull(info, "info");
        if (recipientPrivateKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        if (enc.length != ENC_LENGTH) {
            throw new SealBrokenException("HPKE encapsulated key rejected");
        }
        HPKE suite = suite(aeadId);
        X25519PrivateKeyParameters skR = new X25519PrivateKeyParameters(recipientPrivateKey);
        AsymmetricCipherKeyPair kpR = new AsymmetricCipherKeyPair(skR.generatePublicKey(), skR);
        try {
            return new Context(suite.setupBaseR(enc, kpR, info), aeadId);
        } catch (IllegalStateException lowOrderPoint) {
            // BC signals an all-zero X25519 result (low-order enc) this way; RFC 9180 requires
            // rejecting it, and it is a property of the input, not of our key.
            throw new SealBrokenException("HPKE encapsulated key rejected");
        }
    }

    /**
     * RFC 9180 DeriveKeyPair for X25519, returning the raw (unclamped) private key exactly as the
     * RFC vectors print it. Package-private: only the vectors need deterministic keys.
     */
    static X25519KeyPair deriveKeyPair(byte[] ikm) {
        AsymmetricCipherKeyPair kp = suite(AEAD_EXPORT_ONLY).deriveKeyPair(ikm);
        return new X25519KeyPair(
                ((X25519PublicKeyParameters) kp.getPublic()).getEncoded(),
                ((X25519PrivateKeyParameters) kp.getPrivate()).getEncoded());
    }

    // A new BC HPKE per operation: its DHKEM re-initialises one shared X25519Agreement on every
    // call, so a shared instance would race between threads. Construction is cheap.
    private static HPKE suite(short aeadId) {
        if (aeadId != AEAD_AES_128_GCM && aeadId != AEAD_EXPORT_ONLY) {
            throw new IllegalArgumentException("unsupported HPKE AEAD id " + (aeadId & 0xFFFF));
        }
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, aeadId);
    }

    private static SenderContext sender(HPKE suite, byte[] recipientPublicKey, byte[] info,
            short aeadId, AsymmetricCipherKeyPair ephemeral) {
        Objects.requireNonNull(recipientPublicKey, "recipientPublicKey");
        Objects.requireNonNull(info, "info");
        if (recipientPublicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 public key must be 32 bytes");
        }
        try {
            HPKEContextWithEncapsulation ctx = suite.setupBaseS(
                    new X25519PublicKeyParameters(recipientPublicKey), info, ephemeral);
            return new SenderContext(ctx, aeadId, ctx.getEncapsulation());
        } catch (IllegalStateException lowOrderPoint) {
            throw new IllegalArgumentException("recipient public key is a low-order X25519 point");
        }
    }

    /**
     * An HPKE encryption context. {@link #seal}/{@link #open} advance a sequence number, so
     * messages must be opened in the order they were sealed; {@link #export} is stateless.
     * Not thread-safe.
     */
    public static sealed class Context permits SenderContext {

        private final HPKEContext context;
        private final short aeadId;
        private long sequenceNumber;

        Context(HPKEContext context, short aeadId) {
            this.context = context;
            this.aeadId = aeadId;
        }

        /** The AEAD id this context was set up with. */
        public short aeadId() {
            return aeadId;
        }

        /** Number of messages sealed or opened so far, i.e. the sequence number of the next one. */
        public long sequenceNumber() {
            return sequenceNumber;
        }

        /**
         * RFC 9180 Export: a secret of {@code length} bytes bound to this context and to
         * {@code exporterContext}.
         */
        public byte[] export(byte[] exporterContext, int length) {
            Objects.requireNonNull(exporterContext, "exporterContext");
            if (length < 1 || length > MAX_EXPORT_LENGTH) {
                throw new IllegalArgumentException("export length must be 1.." + MAX_EXPORT_LENGTH);
            }
            return context.export(exporterContext, length);
        }

        /** Encrypts the next message (AES-128-GCM contexts only). */
        public byte[] seal(byte[] aad, byte[] plaintext) {
            Objects.requireNonNull(aad, "aad");
            Objects.requireNonNull(plaintext, "plaintext");
            requireAead();
            try {
                byte[] ct = context.seal(aad, plaintext);
                sequenceNumber++;
                return ct;
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("HPKE seal failed unexpectedly");
            }
        }

        /**
         * Decrypts the next message (AES-128-GCM contexts only). On failure the sequence number
         * does not advance, as RFC 9180 requires.
         *
         * @throws SealBrokenException if authentication fails
         */
        public byte[] open(byte[] aad, byte[] ciphertext) {
            Objects.requireNonNull(aad, "aad");
            Objects.requireNonNull(ciphertext, "ciphertext");
            requireAead();
            try {
                byte[] pt = context.open(aad, ciphertext);
                sequenceNumber++;
                return pt;
            } catch (InvalidCipherTextException e) {
                throw new SealBrokenException("HPKE ciphertext failed authentication");
            }
        }

        private void requireAead() {
            if (aeadId != AEAD_AES_128_GCM) {
                throw new IllegalStateException("export-only HPKE context cannot seal or open");
            }
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[aeadId=" + (aeadId & 0xFFFF)
                    + ", sequenceNumber=" + sequenceNumber + ", secrets=<redacted>]";
        }
    }

    /** A sender's context, which additionally carries {@code enc} for the recipient. */
    public static final class SenderContext extends Context {

        private final byte[] enc;

        SenderContext(HPKEContext context, short aeadId, byte[] enc) {
            super(context, aeadId);
            this.enc = enc.clone();
        }

        /** The 32-byte encapsulated key to send alongside the ciphertexts; public. */
        public byte[] enc() {
            return enc.clone();
        }
    }
}
