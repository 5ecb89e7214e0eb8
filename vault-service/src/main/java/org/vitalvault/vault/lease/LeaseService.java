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
import org.vitalvault.policy.lease.LeaseDecision;
import org.vitalvault.policy.lease.LeaseRequest;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.consent.ConsentReceipts;
import org.vitalvault.vault.http.Window;
import org.vitalvault.vault.keys.VaultSigner;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotPermitted;

/**
 * Answers a signed lease request: verify it with the organisation's key, decide it now, and on
 * approval store the lease with its eligible owners and answer the document signed by the vault.
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
    VaultSigner signer;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** An approved lease: the document and its signed form. */
    public record Issued(LeaseDocument lease, String document) {
    }

    /**
     * @throws NotPermitted or Conflict with the engine's reason codes when denied ({@link Refusals}); NotPermitted
     *     when the signature is not the organisation's; Conflict when the request id was already leased
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
        LeaseDecision decision = decisions.decide(request, null, now).decision();
        if (!decision.approved()) {
            throw Refusals.leaseDenied(decision.reasons());
        }
        EffectiveTerms t = decision.terms();
        UUID leaseId = UUID.randomUUID();
        LeaseDocument doc = new LeaseDocument(LeaseDocument.TYPE, LeaseDocument.VERSION, leaseId, payload.requestId(), sha256Hex(opened.jws()), now,
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
                decision.participants().size(), new LeaseDocument.Price(decision.price().euroCents(), "EUR"),
                t.validity().until());
        String jws;
        try {
            jws = signer.sign(LeaseDocument.JWS_TYPE, json.writeValueAsBytes(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing a lease document failed", e);
        }
        Lease lease = new Lease(leaseId, org.id(), payload.requestId(), request, new BigDecimal(t.epsilonPerLease()),
                BigDecimal.ZERO, t.minimumCohort(), decision.participants().size(), decision.price().euroCents(), 0, jws, now);
        // Only the insert is transactional (decision 020): the decision above read the whole population's
        // consent and the vault signed, neither of which should hold a connection in a transaction.
        boolean stored = QuarkusTransaction.requiringNew().call(
                () -> leases.insert(lease, opened.jws(), decision.participants().values()));
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
