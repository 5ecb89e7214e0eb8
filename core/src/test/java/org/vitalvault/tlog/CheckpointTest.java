package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    private static final byte[] ROOT = NaiveMerkle.sha256("root".getBytes());
    private static final String ROOT64 = Base64.getEncoder().encodeToString(ROOT);

    @Test
    void textIsOriginSizeRootAndExtensionsEachEndingInANewline() {
        Checkpoint c = new Checkpoint("vitalvault.local/audit", 1234, ROOT, List.of("ext one"));
        assertEquals("vitalvault.local/audit\n1234\n" + ROOT64 + "\next one\n", c.text());
    }

    @Test
    void textRoundTrips() throws ProofException {
        for (Checkpoint c : List.of(new Checkpoint("example.com/log", 0, MerkleHash.emptyRoot()),
                new Checkpoint("example.com/log", Long.MAX_VALUE, ROOT, List.of("a", "b c")))) {
            Checkpoint back = Checkpoint.parse(c.text());
            assertEquals(c.origin(), back.origin());
            assertEquals(c.size(), back.size());
            assertArrayEquals(c.rootHash(), back.rootHash());
            assertEquals(c.extensions(), back.extensions());
            assertEquals(c.text(), back.text());
        }
    }

    @Test
    void theGoSumdbStyleCheckpointParses() throws ProofException {
        // The C2SP tlog-checkpoint example shape: origin, size, root, nothing else.
        Checkpoint c = Checkpoint.parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
        assertEquals("example.com/behind-the-sofa", c.origin());
        assertEquals(20852163, c.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "00", "-1", "+1", " 1", "1 ", "1.0", "0x10", "", "99999999999999999999", "9223372036854775808"})
    void aSizeThatIsNotACanonicalDecimalIsRefused(String size) {
        assertThrows(ProofException.class, () -> Checkpoint.parse("log\n" + size + "\n" + ROOT64 + "\n"));
    }

    @Test
    void aNonCanonicalOrWrongLengthRootIsRefused() {
        String noPadding = ROOT64.substring(0, ROOT64.length() - 1);
        // The last character's low bits are not zero: decoders accept it, the canonical form differs.
        char last = ROOT64.charAt(ROOT64.length() - 2);
        String nonCanonical = ROOT64.substring(0, ROOT64.length() - 2) + (char) (last + 1) + "=";
        String urlSafe = Base64.getUrlEncoder().encodeToString(NaiveMerkle.sha256(new byte[] {(byte) 0xfb, (byte) 0xff}));
        for (String root : List.of(noPadding, nonCanonical, "not base64!", Base64.getEncoder().encodeToString(new byte[31]),
                Base64.getEncoder().encodeToString(new byte[33]), " " + ROOT64)) {
            assertThrows(ProofException.class, () -> Checkpoint.parse("log\n1\n" + root + "\n"), root);
        }
        if (urlSafe.contains("-") || urlSafe.contains("_")) {
            assertThrows(ProofException.class, () -> Checkpoint.parse("log\n1\n" + urlSafe + "\n"), urlSafe);
        }
    }

    @Test
    void aMissingNewlineMissingLineOrEmptyLineIsRefused() {
        for (String text : List.of("log\n1\n" + ROOT64, "log\n1\n", "\n1\n" + ROOT64 + "\n", "log\n1\n" + ROOT64 + "\n\n",
                "log\n1\n" + ROOT64 + "\next\n\n", "log\n\n" + ROOT64 + "\n", "", "\n")) {
            assertThrows(ProofException.class, () -> Checkpoint.parse(text), text);
        }
    }

    @Test
    void aCheckpointCannotBeBuiltWithoutOneLineOriginOrA32ByteRoot() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("two\nlines", 1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("log", -1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("log", 1, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("log", 1, ROOT, List.of("")));
    }
}
