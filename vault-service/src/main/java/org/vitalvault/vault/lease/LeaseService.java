package org.vitalvault.vault.lease;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import org.vitalvault.policy.consent.AgeBand;
import org.vitalvault.policy.lease.EffectiveTerms;
import org.vitalvault.policy.lease.LeaseApproval;
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.vault.audit.AuditKind;
import org.vitalvault.vault.audit.AuditLog;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.consent.ConsentReceipts;
import org.vitalvault.vault.http.Window;
import org.vitalvault.vault.keys.VaultSigner;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotPermitted;
import org.vitalvault.vault.refusal.Refusal;
import org.vitalvault.vault.refusal.TooMany;

/**
 * Answers a signed lease request: verify it with the organisation's key, record it, decide it now on
 * noisy counts, and on approval store the lease with the owners who take part and answer the document
 * signed by the vault.
 */
@ApplicationScoped
public class LeaseService {

    @Inject
    SignedRequests signed;

    @Inject
    LeaseDecisions decisions;

    @Inject
    LeaseStore leases;

    @Inject
    LeaseRequestLog requests;

    @Inject
    LeaseApproval approval;

    @Inject
    VaultSigner signer;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    /** An approved lease: the document and its signed form. */
    public record Issued(LeaseDocument lease, String document) {
    }

    /**
     * Decides a signed lease request on noisy counts ({@link LeaseApproval}). The request is recorded
     * first ({@link LeaseRequestLog}: rate limit, discovery budget, request id final), so that every
     * answer after that point — approval, denial, failure — has been paid for and is on record.
     *
     * @throws NotPermitted when the signature is not the organisation's, or the request is denied (request-level reasons only)
     * @throws Conflict     when the request id was already used, or the request's own period has ended
     * @throws TooMany      when the organisation's daily requests or discovery budget are used up
     */
    public Issued request(Organisation org, String body) {
        SignedRequests.Opened<LeaseRequestPayload> opened = signed.open(org, body, SignedRequests.LEASE_REQUEST_TYP,
                LeaseRequestPayload.class);
        LeaseRequestPayload payload = opened.payload();
        if (!org.id().equals(payload.organisation())) {
            throw InvalidInput.field("organisation", "must be the id of the organisation the request is posted to");
        }
        LeaseRequest request = payload.toRequest();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String digest = sha256Hex(opened.jws());
        QuarkusTransaction.requiringNew().run(
                () -> requests.admit(org.id(), payload.requestId(), digest, approval.epsilon(), now));
        try {
            return decide(org, payload, opened.jws(), request, now);
        } catch (Refusal r) {
            throw r;
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> requests.finish(org.id(), payload.requestId(),
                    LeaseRequestLog.Outcome.FAILED, approval.epsilon(), null, null));
            throw e;
        }
    }

    private Issued decide(Organisation org, LeaseRequestPayload payload, String requestJws, LeaseRequest request, Instant now) {
        LeaseDecision exact = decisions.decide(request, null, now).decision();
        LeaseApproval.Outcome outcome = approval.approve(exact, request);
        if (!outcome.approved()) {
            // A request-level denial counted nothing and spends nothing; a noisy one spent its ε.
            double spent = exact.approved() ? approval.epsilon() : 0;
            Long estimate = exact.approved() ? outcome.estimatedCohort() : null;
            // The denial and its log entry commit together (issue 17): a denial on record is in the log.
            QuarkusTransaction.requiringNew().run(() -> {
                requests.finish(org.id(), payload.requestId(), LeaseRequestLog.Outcome.DENIED, spent, estimate, null);
                audit.deployment(AuditKind.LEASE_DENIED,
                        LeaseAuditDetails.denied(org.id(), payload.requestId(), request, outcome.reasons(), estimate));
            });
            throw Refusals.leaseDenied(outcome.reasons());
        }
        EffectiveTerms t = outcome.terms();
        UUID leaseId = UUID.randomUUID();
        LeaseDocument doc = new LeaseDocument(LeaseDocument.TYPE, LeaseDocument.VERSION, leaseId, payload.requestId(),
                sha256Hex(requestJws), now,
                new LeaseDocument.Issuer(ConsentReceipts.CONTROLLER, signer.kid()),
                new LeaseDocument.Lessee(org.id(), org.name(), org.kid()),
                new LeaseDocument.LeaseTerms(t.purpose().name(), t.metrics().stream().sorted().toList(),
                        t.kinds().stream().map(Enum::name).sorted().toList(), t.granularity().name(),
                        Window.of(t.dataWindow()), Window.of(t.validity()), request.cohort().coop(),
                        t.minimumCohort(), t.epsilonPerLease(),
                        new LeaseDocument.Cohort(request.cohort().ageBands().stream().map(AgeBand::label).sorted().toList(),
                                request.cohort().sexes().stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT))
                                        .sorted().toList(),
                                request.cohort().regions().stream().sorted().toList())),
                outcome.estimatedCohort(), outcome.noiseScale(), approval.epsilon(),
                new LeaseDocument.Price(outcome.price().euroCents(), "EUR"), t.validity().until());
        String jws;
        try {
            jws = signer.sign(LeaseDocument.JWS_TYPE, json.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a lease document failed", e);
        }
        Lease lease = new Lease(leaseId, org.id(), payload.requestId(), request, BigDecimal.valueOf(t.epsilonPerLease()),
                BigDecimal.ZERO, t.minimumCohort(), (int) outcome.estimatedCohort(), outcome.price().euroCents(), 0, jws, now);
        // Only the inserts are transactional (decision 020): the decision above read the whole population's
        // consent and the vault signed, neither of which should hold a connection in a transaction.
        boolean stored = QuarkusTransaction.requiringNew().call(() -> {
            if (!leases.lockActiveOrganisation(org.id())) {
                throw CallerResearcher.suspended();
            }
            boolean inserted = leases.insert(lease, requestJws, outcome.participants().values());
            if (inserted) {
                requests.finish(org.id(), payload.requestId(), LeaseRequestLog.Outcome.APPROVED, approval.epsilon(),
                        outcome.estimatedCohort(), leaseId);
                // After the lease's own writes, in their transaction: the lease exists iff its entry does.
                audit.deployment(AuditKind.LEASE_APPROVED, LeaseAuditDetails.approved(doc));
            }
            return inserted;
        });
        if (!stored) {
            throw new Conflict("lease-request-replayed", "Request already leased",
                    "this organisation already holds a lease for requestId " + payload.requestId()
                            + "; sign a new request with a new requestId");
        }
        return new Issued(doc, jws);
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
