package org.vitalvault.vault.coop;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.vitalvault.policy.consent.CoopMembership;
import org.vitalvault.vault.consent.TermsFields;
import org.vitalvault.vault.refusal.Conflict;

/**
 * Co-ops ({@code coop}) and memberships ({@code coop_membership}) through Panache (plain CRUD), on
 * the caller's transaction. Lease decisions read memberships through
 * {@link org.vitalvault.vault.consent.ConsentStore}, not through here.
 */
@ApplicationScoped
public class CoopStore {

    private static final String UNIQUE_VIOLATION = "23505";

    /** A membership and the co-op it is of. */
    public record Membership(CoopMembership membership, StoredCoop coop) {
    }

    public void insert(StoredCoop coop, UUID founder) {
        CoopRow row = new CoopRow();
        row.id = coop.id();
        row.name = coop.name();
        row.founderOwnerId = founder;
        row.terms = TermsFields.of(coop.terms().terms());
        row.createdAt = coop.createdAt();
        row.persist();
    }

    public Optional<StoredCoop> find(UUID coopId) {
        return CoopRow.<CoopRow>findByIdOptional(coopId).map(CoopRow::toStored);
    }

    /** Every co-op, oldest first. */
    public List<StoredCoop> all() {
        return CoopRow.<CoopRow>list("order by createdAt, id").stream().map(CoopRow::toStored).toList();
    }

    /** The owner's current membership of the co-op, locked until the transaction ends. */
    public Optional<CoopMembership> currentMembership(UUID owner, UUID coopId) {
        return MembershipRow.<MembershipRow>find("ownerId = ?1 and coopId = ?2 and leftAt is null", owner, coopId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional().map(MembershipRow::toMembership);
    }

    /**
     * Stores a new membership.
     *
     * @throws Conflict when the owner is a member already (also when two joins race)
     */
    public void join(CoopMembership m) {
        try {
            MembershipRow.of(m).persistAndFlush();
        } catch (PersistenceException e) {
            // The unique index on current memberships; the transaction is rollback-only now and the refusal ends it.
            if (uniqueViolation(e)) {
                throw alreadyMember(m.coop());
            }
            throw e;
        }
    }

    static Conflict alreadyMember(UUID coopId) {
        return new Conflict("already-member", "Already a member",
                "this owner is a member of co-op " + coopId + " already; leave it first to join on other terms");
    }

    /** Ends the owner's current membership at {@code at} (locked already by {@link #currentMembership}). */
    public void leave(UUID owner, UUID coopId, Instant at) {
        MembershipRow row = MembershipRow.<MembershipRow>find("ownerId = ?1 and coopId = ?2 and leftAt is null", owner, coopId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> new IllegalStateException("expected to end one current membership"));
        row.leftAt = at;
    }

    /** The owner's memberships, past ones included, oldest first. */
    public List<Membership> membershipsOf(UUID owner) {
        List<Membership> found = new ArrayList<>();
        for (MembershipRow m : MembershipRow.<MembershipRow>list("ownerId = ?1 order by joinedAt, coopId", owner)) {
            CoopRow coop = CoopRow.findById(m.coopId);
            found.add(new Membership(m.toMembership(), coop.toStored()));
        }
        return found;
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
