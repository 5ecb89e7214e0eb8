package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EpochKeyTest {

    private final SecureRandom random = new SecureRandom();
    private final X25519KeyPair owner = X25519KeyPair.generate(random);
    private final UUID ownerId = UUID.randomUUID();
    private final UUID epochId = UUID.randomUUID();

    @Test
    void ownerRecoversTheDataKeyTheGatewayCreated() {
        EpochKey gateway = EpochKey.create(owner.publicKey(), ownerId, epochId);
        assertEquals(EpochKey.DATA_KEY_LENGTH, gateway.dataKey().length);
        assertArrayEquals(gateway.dataKey(),
                EpochKey.recover(owner.privateKey(), gateway.enc(), ownerId, epochId));
    }

    @Test
    void aDifferentOwnerPrivateKeyRecoversADifferentKey() {
        EpochKey gateway = EpochKey.create(owner.publicKey(), ownerId, epochId);
        byte[] otherPrivateKey = X25519KeyPair.generate(random).privateKey();
        assertFalse(Arrays.equals(gateway.dataKey(),
                EpochKey.recover(otherPrivateKey, gateway.enc(), ownerId, epochId)));
    }

    @Test
    void differentEpochIdsGiveDifferentKeys() {
        EpochKey gateway = EpochKey.create(owner.publicKey(), ownerId, epochId);
        assertFalse(Arrays.equals(gateway.dataKey(),
                EpochKey.recover(owner.privateKey(), gateway.enc(), ownerId, UUID.randomUUID())));
        assertFalse(Arrays.equals(gateway.dataKey(),
                EpochKey.create(owner.publicKey(), ownerId, UUID.randomUUID()).dataKey()));
    }

    @Test
    void aDifferentOwnerIdRecoversADifferentKey() {
        EpochKey gateway = EpochKey.create(owner.publicKey(), ownerId, epochId);
        assertFalse(Arrays.equals(gateway.dataKey(),
                EpochKey.recover(owner.privateKey(), gateway.enc(), UUID.randomUUID(), epochId)));
    }

    @Test
    void recoveredKeyOpensWhatTheGatewaySealed() {
        EpochKey gateway = EpochKey.create(owner.publicKey(), ownerId, epochId);
        BatchAad aad = new BatchAad(ownerId, "heart_rate", Instant.ofEpochSecond(0), epochId);
        byte[] sealed = BatchCipher.seal(gateway.dataKey(), aad, new byte[] {7});
        byte[] recovered = EpochKey.recover(owner.privateKey(), gateway.enc(), ownerId, epochId);
        assertArrayEquals(new byte[] {7}, BatchCipher.open(recovered, aad, sealed));
    }

    @Test
    void malformedEncIsRejectedAsABrokenSeal() {
        assertThrows(SealBrokenException.class,
                () -> EpochKey.recover(owner.privateKey(), new byte[31], ownerId, epochId));
    }

    @Test
    void toStringShowsEncButNeverTheDataKey() {
        EpochKey key = EpochKey.create(owner.publicKey(), ownerId, epochId);
        String text = key.toString();
        assertTrue(text.contains(HexFormat.of().formatHex(key.enc())));
        assertFalse(text.contains(HexFormat.of().formatHex(key.dataKey())));
        assertTrue(text.contains("<redacted>"));
    }
}
