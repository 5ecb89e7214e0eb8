package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HpkeTest {

    private static final byte[] INFO = "test info".getBytes(StandardCharsets.US_ASCII);
    private final X25519KeyPair recipient = X25519KeyPair.generate(new SecureRandom());

    @Test
    void receiverOpensWhatARandomSenderSealed() {
        Hpke.SenderContext sender =
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_AES_128_GCM);
        Hpke.Context receiver = Hpke.setupBaseReceiver(
                sender.enc(), recipient.privateKey(), INFO, Hpke.AEAD_AES_128_GCM);
        byte[] ct = sender.seal(new byte[] {1}, new byte[] {42});
        assertArrayEquals(new byte[] {42}, receiver.open(new byte[] {1}, ct));
    }

    @Test
    void twoRandomSendersUseDifferentEphemeralKeys() {
        assertFalse(Arrays.equals(
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_EXPORT_ONLY).enc(),
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_EXPORT_ONLY).enc()));
    }

    @Test
    void tamperedCiphertextFailsToOpenAndDoesNotAdvanceTheSequenceNumber() {
        Hpke.SenderContext sender =
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_AES_128_GCM);
        Hpke.Context receiver = Hpke.setupBaseReceiver(
                sender.enc(), recipient.privateKey(), INFO, Hpke.AEAD_AES_128_GCM);
        byte[] ct = sender.seal(new byte[0], new byte[] {1, 2, 3});
        byte[] tampered = ct.clone();
        tampered[0] ^= 1;
        assertThrows(SealBrokenException.class, () -> receiver.open(new byte[0], tampered));
        assertEquals(0, receiver.sequenceNumber());
        assertArrayEquals(new byte[] {1, 2, 3}, receiver.open(new byte[0], ct));
    }

    @Test
    void exportOnlyContextRefusesToSeal() {
        Hpke.SenderContext sender =
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_EXPORT_ONLY);
        assertThrows(IllegalStateException.class, () -> sender.seal(new byte[0], new byte[0]));
    }

    @Test
    void lowOrderPointsAreRejectedAsRecipientKeyAndAsEnc() {
        byte[] zeroPoint = new byte[32];
        assertThrows(IllegalArgumentException.class,
                () -> Hpke.setupBaseSender(zeroPoint, INFO, Hpke.AEAD_EXPORT_ONLY));
        assertThrows(SealBrokenException.class, () -> Hpke.setupBaseReceiver(
                zeroPoint, recipient.privateKey(), INFO, Hpke.AEAD_EXPORT_ONLY));
    }

    @Test
    void otherAeadIdsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Hpke.setupBaseSender(recipient.publicKey(), INFO, (short) 3));
    }

    @Test
    void contextToStringRevealsNoSecret() {
        Hpke.SenderContext sender =
                Hpke.setupBaseSender(recipient.publicKey(), INFO, Hpke.AEAD_AES_128_GCM);
        assertEquals("SenderContext[aeadId=1, sequenceNumber=0, secrets=<redacted>]",
                sender.toString());
    }
}
