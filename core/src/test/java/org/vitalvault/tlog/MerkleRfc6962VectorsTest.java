package org.vitalvault.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitalvault.crypto.MiniJson;

/**
 * The RFC 6962 vectors of transparency-dev/merkle (commit 417fb0c314750d94e53942e9f92e79b6d35915db,
 * Apache License 2.0; src/test/resources/merkle-rfc6962/README.md): the tree heads computed two
 * ways, every valid inclusion and consistency proof verifies, every mutated one ({@code wantErr}) is
 * refused with a {@link ProofException} and nothing else.
 */
class MerkleRfc6962VectorsTest {

    private static final String ROOT = "/merkle-rfc6962";

    /** One vector file: its path under the folder is its name in reports. */
    record Vector(String name, Map<String, Object> fields) {
        @Override
        public String toString() {
            return name;
        }

        boolean wantErr() {
            return Boolean.TRUE.equals(fields.get("wantErr"));
        }

        byte[] bytes(String field) {
            Object v = fields.get(field);
            return v == null ? new byte[0] : Base64.getDecoder().decode((String) v);
        }

        @SuppressWarnings("unchecked")
        List<byte[]> proof() {
            List<byte[]> out = new ArrayList<>();
            Object p = fields.get("proof");
            if (p != null) {
                for (Object h : (List<Object>) p) {
                    out.add(Base64.getDecoder().decode((String) h));
                }
            }
            return out;
        }

        /** A size or index; null when it does not fit a signed 64-bit number (uint64 overflow vectors). */
        Long number(String field) {
            BigInteger n = new BigInteger((String) fields.get(field));
            return n.bitLength() < 64 ? n.longValueExact() : null;
        }
    }

    static Stream<Vector> inclusion() throws Exception {
        return vectors("inclusion");
    }

    static Stream<Vector> consistency() throws Exception {
        return vectors("consistency");
    }

    @SuppressWarnings("unchecked")
    private static Stream<Vector> vectors(String kind) throws IOException, URISyntaxException {
        Path dir = Path.of(MerkleRfc6962VectorsTest.class.getResource(ROOT + "/" + kind).toURI());
        List<Vector> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(new Vector(kind + "/" + dir.relativize(f),
                        (Map<String, Object>) MiniJson.parse(Files.readString(f))));
            }
        }
        return out.stream();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTreeHeadIsTheRootTheFrontierAndTheStoredSubtreesGive() throws Exception {
        Map<String, Object> heads = (Map<String, Object>) MiniJson.parse(
                new String(getClass().getResourceAsStream(ROOT + "/tree-heads.json").readAllBytes()));
        List<Object> leaves = (List<Object>) heads.get("leafInputsHex");
        List<Object> roots = (List<Object>) heads.get("rootHashesHexBySize");
        assertEquals(leaves.size() + 1, roots.size());
        MemoryTree tree = new MemoryTree();
        for (int n = 0; n <= leaves.size(); n++) {
            byte[] want = HexFormat.of().parseHex((String) roots.get(n));
            assertArrayEquals(want, tree.root(), "frontier root of size " + n);
            assertArrayEquals(want, MerkleProofs.root(n, tree), "stored-subtree root of size " + n);
            if (n < leaves.size()) {
                tree.append(MerkleHash.leaf(HexFormat.of().parseHex((String) leaves.get(n))));
            }
        }
        // Every earlier size's root is still readable from the grown store.
        for (int n = 0; n <= leaves.size(); n++) {
            assertArrayEquals(HexFormat.of().parseHex((String) roots.get(n)), MerkleProofs.root(n, tree));
        }
    }

    @Test
    void theVectorsAreAllThere() throws Exception {
        assertTrue(inclusion().count() >= 90, "inclusion vectors");
        assertTrue(consistency().count() >= 90, "consistency vectors");
        assertTrue(inclusion().anyMatch(v -> !v.wantErr()) && inclusion().anyMatch(Vector::wantErr));
        assertTrue(consistency().anyMatch(v -> !v.wantErr()) && consistency().anyMatch(Vector::wantErr));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusion")
    void inclusionVector(Vector v) {
        Long index = v.number("leafIdx");
        Long size = v.number("treeSize");
        if (index == null || size == null) {
            assertTrue(v.wantErr(), "a size beyond 2^63 only appears in vectors to refuse");
            return;
        }
        if (v.wantErr()) {
            assertThrows(ProofException.class,
                    () -> MerkleVerifier.verifyInclusion(v.bytes("leafHash"), index, size, v.proof(), v.bytes("root")));
        } else {
            assertDoesNotThrow(
                    () -> MerkleVerifier.verifyInclusion(v.bytes("leafHash"), index, size, v.proof(), v.bytes("root")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistency")
    void consistencyVector(Vector v) {
        Long size1 = v.number("size1");
        Long size2 = v.number("size2");
        if (size1 == null || size2 == null) {
            assertTrue(v.wantErr(), "a size beyond 2^63 only appears in vectors to refuse");
            return;
        }
        if (v.wantErr()) {
            assertThrows(ProofException.class,
                    () -> MerkleVerifier.verifyConsistency(size1, size2, v.proof(), v.bytes("root1"), v.bytes("root2")));
        } else {
            assertDoesNotThrow(
                    () -> MerkleVerifier.verifyConsistency(size1, size2, v.proof(), v.bytes("root1"), v.bytes("root2")));
        }
    }
}
