package org.vitalvault.vault.ledger;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.policy.consent.ConsentGrant;
import org.vitalvault.policy.consent.SystemPolicy;
import org.vitalvault.policy.ledger.PrivacyLedger;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.consent.ConsentStore;
import org.vitalvault.vault.http.Window;

/**
 * An owner's privacy-loss ledger: how much ε leases have spent on their data in the rolling year
 * ({@link PrivacyLedger#YEAR}, 365 days up to now), how much is left, and each charge.
 */
@Path("/owners/{ownerId}/ledger")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class LedgerResource {

    @Inject
    CallerOwner caller;

    @Inject
    LedgerStore ledger;

    @Inject
    ConsentStore consent;

    @Inject
    SystemPolicy system;

    @Inject
    Clock clock;

    /**
     * @param year      the rolling year: after {@code from} until {@code until} (the time of the response)
     * @param yearlyCap the ε a year may spend on the owner: the smallest of their grants in force
     *                  (co-op memberships included) and the system's cap, which is the cap with no grant
     * @param spent     ε charged in the rolling year
     * @param remaining {@code yearlyCap − spent}, never below 0
     * @param charges   the charges of the rolling year, oldest first
     */
    public record LedgerView(Window year, double yearlyCap, double spent, double remaining,
                             List<Charge> charges) {
    }

    /** One charge: a release of a lease that included the owner's data. */
    public record Charge(UUID leaseId, Instant chargedAt, double epsilon) {
    }

    @Operation(summary = "The owner's privacy ledger over the rolling year")
    @GET
    public LedgerView get(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        Instant now = clock.instant();
        Instant yearFrom = now.minus(PrivacyLedger.YEAR);
        double cap = system.maxEpsilonPerYear();
        for (ConsentGrant g : consent.grantsOf(ownerId)) {
            if (g.isInForceAt(now)) {
                cap = Math.min(cap, g.terms().epsilonPerYear());
            }
        }
        PrivacyLedger mine = ledger.ledgerOf(Set.of(ownerId), yearFrom);
        List<Charge> charges = mine.entriesOf(ownerId).stream().filter(e -> !e.at().isAfter(now))
                .map(e -> new Charge(e.lease(), e.at(), e.epsilon())).toList();
        return new LedgerView(new Window(yearFrom, now), cap, mine.spentInYear(ownerId, now), mine.remainingInYear(ownerId, cap, now),
                charges);
    }
}
