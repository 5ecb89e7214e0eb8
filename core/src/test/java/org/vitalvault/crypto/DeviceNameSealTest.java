package org.vitalvault.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeviceNameSealTest {

    private static final String NAME = "Grandma's insulin pump ✓";
    private final SecureRandom random = new SecureRandom();
    private final X25519KeyPair owner = X25519KeyPair.generate(random);
    private final UUID ownerId = UUID.randomUUID();
    private final UUID deviceId = UUID.randomUUID();

    @Test
    void theOwnersPrivateKeyOpensTheName() {
        byte[] sealed = DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME);
        assertEquals(NAME, DeviceNameSeal.open(owner.privateKey(), sealed, ownerId, deviceId));
    }

    @Test
    void theSealedBytesDoNotContainTheName() {
        byte[] sealed = DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("insulin"));
        assertEquals(1 + 32 + NAME.getBytes(StandardCharsets.UTF_8).length + 16, sealed.length);
    }

    @Test
    void eachSealIsFresh() {
        assertFalse(java.util.Arrays.equals(DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME),
                DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME)));
    }

    @Test
    void aNameMovedToAnotherDeviceOrOwnerDoesNotOpen() {
        byte[] sealed = DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME);
        assertThrows(SealBrokenException.class,
                () -> DeviceNameSeal.open(owner.privateKey(), sealed, ownerId, UUID.randomUUID()));
        assertThrows(SealBrokenException.class,
                () -> DeviceNameSeal.open(owner.privateKey(), sealed, UUID.randomUUID(), deviceId));
    }

    @Test
    void anotherKeyOrAlteredBytesDoNotOpen() {
        byte[] sealed = DeviceNameSeal.seal(owner.publicKey(), ownerId, deviceId, NAME);
        assertThrows(SealBrokenException.class, () -> DeviceNameSeal.open(
                X25519KeyPair.generate(random).privateKey(), sealed, ownerId, deviceId));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SealBrokenException.class, () -> DeviceNameSeal.open(owner.privateKey(), sealed, ownerId, deviceId));
        assertThrows(SealBrokenException.class, () -> DeviceNameSeal.open(owner.privateKey(), new byte[10], ownerId, deviceId));
    }
}
