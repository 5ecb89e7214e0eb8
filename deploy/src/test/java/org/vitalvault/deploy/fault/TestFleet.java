package org.vitalvault.deploy.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.deploy.stack.VaultClient;

/** Owners with one paired device each, registered through the vault's REST API. */
final class TestFleet {

    /** One owner, their token and their device. */
    record Member(String token, UUID ownerId, VaultClient.Pairing device) {
    }

    private TestFleet() {
    }

    static List<Member> register(VaultClient vault, String prefix, int owners) throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < owners; i++) {
            String token = vault.devToken(prefix + "-" + i + "-" + UUID.randomUUID(), "owner");
            UUID owner = vault.registerOrFind(token);
            members.add(new Member(token, owner, vault.pair(token, owner, prefix + " device " + i)));
        }
        return members;
    }
}
