package org.vitalvault.vault.lease;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vitalvault.store.OwnerDataEraser;

/** Deletes the owner's places in leases and the credits leases owe them (the leases themselves are the organisations'). */
@ApplicationScoped
public class LeaseParticipantEraser implements OwnerDataEraser {

    public static final String LEASE_PARTICIPANT = "lease_participant";
    public static final String LEASE_CREDIT = "lease_credit";

    @Override
    public Set<String> tables() {
        return Set.of(LEASE_PARTICIPANT, LEASE_CREDIT);
    }

    @Override
    public int order() {
        return 700;
    }

    @Override
    public Map<String, Integer> erase(Connection c, UUID ownerId) throws SQLException {
        Map<String, Integer> erased = new LinkedHashMap<>();
        erased.put(LEASE_PARTICIPANT, OwnerDataEraser.deleteRowsOf(c, "lease_participant", ownerId));
        erased.put(LEASE_CREDIT, OwnerDataEraser.deleteRowsOf(c, "lease_credit", ownerId));
        return erased;
    }
}
