package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * Signed notes against golang.org/x/mod/sumdb/note's published example (note.go's package comment
 * and note_test.go): PeterNeumann's key, its id c74f20a3, its verifier key and the exact note its
 * private key signs (Ed25519 is deterministic), and EnochRoot's second signature.
 */
class SignedNoteTest {

    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG =
            "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIG =
            "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
    private static final String NOTE = TEXT + "\n" + PETER_SIG;

    private static Ed25519PrivateKeyParameters peterPrivate() {
        String[] parts = PETER_SKEY.split("\\+", 5); // the base64 may hold a +
        byte[] typed = Base64.getDecoder().decode(parts[4]);
        assertEquals(1, typed[0]);
        return new Ed25519PrivateKeyParameters(Arrays.copyOfRange(typed, 1, 33), 0);
    }

    private static UnaryOperator<byte[]> signer(Ed25519PrivateKeyParameters key) {
        return message -> {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, key);
            s.update(message, 0, message.length);
            return s.generateSignature();
        };
    }

    @Test
    void peterNeumannsKeyIdAndVerifierKeyAreTheGoExamples() throws ProofException {
        NoteKey key = NoteKey.of("PeterNeumann", peterPrivate().generatePublicKey().getEncoded());
        assertEquals("c74f20a3", HexFormat.of().formatHex(key.keyId()));
        assertEquals(PETER_VKEY, key.verifierKey());
        NoteKey parsed = NoteKey.parse(PETER_VKEY);
        assertEquals("PeterNeumann", parsed.name());
        assertArrayEquals(key.publicKey(), parsed.publicKey());
        assertEquals("af0cfe78", HexFormat.of().formatHex(NoteKey.parse(ENOCH_VKEY).keyId()));
    }

    @Test
    void signingTheExampleTextGivesTheExampleNote() throws ProofException {
        NoteKey key = NoteKey.parse(PETER_VKEY);
        assertEquals(NOTE, SignedNote.sign(TEXT, key, signer(peterPrivate())));
    }

    @Test
    void theExampleNoteOpens() throws ProofException {
        assertEquals(TEXT, SignedNote.open(NOTE, NoteKey.parse(PETER_VKEY)));
    }

    @Test
    void signaturesByOtherKeysAreIgnoredInAnyOrder() throws ProofException {
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        NoteKey enoch = NoteKey.parse(ENOCH_VKEY);
        assertEquals(TEXT, SignedNote.open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, peter));
        assertEquals(TEXT, SignedNote.open(TEXT + "\n" + ENOCH_SIG + PETER_SIG, peter));
        assertEquals(TEXT, SignedNote.open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, enoch));
        assertEquals(TEXT, SignedNote.open(TEXT + "\n" + "— unknown.example/witness AAAAAAAA\n" + PETER_SIG, peter));
    }

    @Test
    void aNoteSignedByAnotherKeyIsRefused() throws ProofException {
        ProofException e = assertThrows(ProofException.class,
                () -> SignedNote.open(TEXT + "\n" + ENOCH_SIG, NoteKey.parse(PETER_VKEY)));
        assertTrue(e.getMessage().contains("no signature by PeterNeumann"), e.getMessage());
    }

    @Test
    void aForgedSignatureIsRefused() throws ProofException {
        byte[] idAndSig = Base64.getDecoder().decode(PETER_SIG.substring(PETER_SIG.indexOf(' ', 2) + 1).trim());
        idAndSig[40] ^= 1;
        String forged = TEXT + "\n— PeterNeumann " + Base64.getEncoder().encodeToString(idAndSig) + "\n";
        ProofException e = assertThrows(ProofException.class, () -> SignedNote.open(forged, NoteKey.parse(PETER_VKEY)));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
        // A signature of the right key over other text, pasted under this text.
        String other = SignedNote.sign("other text\n", NoteKey.parse(PETER_VKEY), signer(peterPrivate()));
        String pasted = TEXT + "\n" + other.substring(other.indexOf("— "));
        assertThrows(ProofException.class, () -> SignedNote.open(pasted, NoteKey.parse(PETER_VKEY)));
    }

    @Test
    void theSameKeyUnderAnotherNameIsRefused() throws ProofException {
        NoteKey renamed = NoteKey.of("PeterNeumann2", NoteKey.parse(PETER_VKEY).publicKey());
        assertThrows(ProofException.class, () -> SignedNote.open(NOTE, renamed));
        String renamedLine = NOTE.replace("— PeterNeumann ", "— PeterNeumann2 ");
        assertThrows(ProofException.class, () -> SignedNote.open(renamedLine, NoteKey.parse(PETER_VKEY)));
    }

    @Test
    void aSignatureLineWithAnotherKeyIdIsIgnored() {
        byte[] idAndSig = Base64.getDecoder().decode(PETER_SIG.substring(PETER_SIG.indexOf(' ', 2) + 1).trim());
        idAndSig[0] ^= 1;
        String otherId = TEXT + "\n— PeterNeumann " + Base64.getEncoder().encodeToString(idAndSig) + "\n";
        ProofException e = assertThrows(ProofException.class, () -> SignedNote.open(otherId, NoteKey.parse(PETER_VKEY)));
        assertTrue(e.getMessage().contains("no signature by"), e.getMessage());
        // A verifier key whose id does not match its name and key is not a key.
        assertThrows(ProofException.class, () -> NoteKey.parse(PETER_VKEY.replace("c74f20a3", "c74f20a4")));
    }

    @Test
    void aChangedTextIsRefused() {
        for (String changed : new String[] {NOTE.replace("cryptography", "cryptographY"), "x" + NOTE,
            NOTE.replace("is.\n\n", "is!\n\n"), NOTE.replace("\n\n", "\nmore\n\n")}) {
            assertThrows(ProofException.class, () -> SignedNote.open(changed, NoteKey.parse(PETER_VKEY)), changed);
        }
    }

    @Test
    void malformedNotesAreRefusedWithAProofException() {
        for (String bad : new String[] {TEXT, TEXT + "\n", TEXT + "\n" + PETER_SIG.trim(), TEXT + "\n— PeterNeumann !!!\n",
            TEXT + "\nPeterNeumann x08go\n", TEXT + "\n— PeterNeumann\n", "", "\n\n" + PETER_SIG,
            TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG}) {
            assertThrows(ProofException.class, () -> SignedNote.open(bad, NoteKey.parse(PETER_VKEY)), bad);
        }
    }

    @Test
    void aNoteRoundTripsWithAFreshKey() throws ProofException {
        Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        NoteKey key = NoteKey.of("vitalvault.local/audit", k.generatePublicKey().getEncoded());
        String text = new Checkpoint("vitalvault.local/audit", 3, MerkleHash.emptyRoot()).text();
        String note = SignedNote.sign(text, key, signer(k));
        assertEquals(text, SignedNote.open(note, NoteKey.parse(key.verifierKey())));
        assertTrue(note.getBytes(StandardCharsets.UTF_8).length > text.length());
    }
}
