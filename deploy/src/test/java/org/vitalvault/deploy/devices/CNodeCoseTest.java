package org.vitalvault.deploy.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitalvault.cose.CoseMac0;
import org.vitalvault.cose.CoseRejection;
import org.vitalvault.cose.CoseVerification;
import org.vitalvault.senml.SenmlCborDecoder;
import org.vitalvault.senml.SenmlRecord;
import org.vitalvault.senml.SenmlResult;
import org.vitalvault.wire.RejectionReason;

/**
 * What the C node puts on the wire is what the gateway's verifier and decoder accept: its
 * COSE_Mac0 verifies under the device key, byte for byte the message {@link CoseMac0#create}
 * makes of the same SenML, and the SenML inside decodes to the buffered readings.
 */
class CNodeCoseTest {

    /** The worked example of deploy/devices/PROTOCOL.md. */
    static final String EXAMPLE_DEVICE = "3f2b9a0e-8c1d-4e6f-9a7b-0c1d2e3f4a5b";
    static final String EXAMPLE_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String EXAMPLE_MESSAGE = "d18443a10105a0587482a621783275726e3a6465763a757569643a33663262396130652d"
            + "386331642d346536662d396137622d3063316432653366346135623a221a6a18a500006a68656172745f726174650168626561"
            + "742f6d696e02183c0600a4006a68656172745f726174650168626561742f6d696e021843060158206923201a2133ff040b7af2"
            + "21f5a2b15803fc48413ae00d358824d824ebbfb36f";

    @TempDir
    Path dir;

    @Test
    void theNodesMessageVerifiesAndDecodesToTheBufferedReadings() throws Exception {
        String device = UUID.randomUUID().toString();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        long start = System.currentTimeMillis() / 1000 - 100;

        byte[] message = emit(device, HexFormat.of().formatHex(key), 50, start);

        CoseVerification verification = CoseMac0.verify(message, key);
        byte[] senml = assertInstanceOf(CoseVerification.Verified.class, verification).payload();
        SenmlResult result = new SenmlCborDecoder(65_536, 1000).decode(senml, start);
        assertEquals(List.of(), result.rejections());
        assertEquals(50, result.records().size());
        for (int i = 0; i < 50; i++) {
            SenmlRecord r = result.records().get(i);
            assertEquals("urn:dev:uuid:" + device + ":heart_rate", r.name());
            assertEquals("beat/min", r.unit());
            assertEquals(60 + (i * 7) % 41, r.value());
            assertEquals(start + i, r.timeSeconds());
        }
    }

    @Test
    void theNodeWritesExactlyTheBytesOfCoseMac0CreateAndThoseOfTheGuidesExample() throws Exception {
        byte[] key = HexFormat.of().parseHex(EXAMPLE_KEY);

        byte[] message = emit(EXAMPLE_DEVICE, EXAMPLE_KEY, 2, 1_780_000_000L);

        byte[] senml = ((CoseVerification.Verified) CoseMac0.verify(message, key)).payload();
        assertArrayEquals(CoseMac0.create(senml, key), message);
        assertEquals(EXAMPLE_MESSAGE, HexFormat.of().formatHex(message));
    }

    @Test
    void aMessageCheckedUnderAnotherKeyIsMacInvalid() throws Exception {
        byte[] other = HexFormat.of().parseHex(EXAMPLE_KEY);
        other[0] ^= 1;

        byte[] message = emit(EXAMPLE_DEVICE, EXAMPLE_KEY, 2, 1_780_000_000L);

        CoseVerification verification = CoseMac0.verify(message, other);
        assertEquals(RejectionReason.MAC_INVALID, assertInstanceOf(CoseRejection.class, verification).reason());
    }

    private byte[] emit(String device, String hexKey, int readings, long startSeconds) throws Exception {
        Path buffer = dir.resolve(UUID.randomUUID() + ".buf");
        Path out = dir.resolve(UUID.randomUUID() + ".cose");
        CNode.Result r = CNode.run(List.of(CNode.binary().toString(), "--device", device, "--mac-key", hexKey,
                "--buffer", buffer.toString(), "--generate", Integer.toString(readings),
                "--start-time", Long.toString(startSeconds), "--pack", "1000", "--emit-cose", out.toString()), 60);
        assertEquals(0, r.exitCode(), r.output());
        return Files.readAllBytes(out);
    }
}
