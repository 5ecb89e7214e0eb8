package org.vitalvault.vault.researcher;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.auth.CallerResearcher;
import org.vitalvault.vault.auth.Organisation;
import org.vitalvault.vault.lease.LeaseStore;
import org.vitalvault.vault.refusal.Conflict;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * Researcher organisations register with an Ed25519 public key (a JWK or the raw key, base64url);
 * an operator approves them ({@link OperatorResearcherResource}) before they may lease, and may
 * suspend them; they rotate their key with {@link ResearcherKeyResource}. The
 * organisation's view includes what it owes: the credits of every owner whose data counted in one
 * of its leases' queries.
 */
@Path("/researchers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("researcher")
public class ResearcherResource {

    @Inject
    ResearcherStore store;

    @Inject
    CallerResearcher caller;

    @Inject
    LeaseStore leases;

    @Inject
    Clock clock;

    /** A registration: the organisation's name and its public key. */
    public record Registration(@NotBlank @Size(max = 200) String name, @NotNull JsonNode publicKey) {
    }

    /**
     * An organisation as its members see it.
     *
     * @param kid        its current request-signing key ({@code GET …/keys} lists every key it has had)
     * @param status     {@code PENDING}, {@code APPROVED} or {@code SUSPENDED}
     * @param suspension when and why an operator suspended it; null unless suspended
     * @param owesCents  what its leases owe so far, euro cents: the signed price of each lease that has answered a query
     */
    public record OrganisationView(UUID id, String name, String kid,
                                   @Schema(implementation = Organisation.Status.class) String status, Instant registeredAt,
                                   Instant approvedAt, SuspensionView suspension, long owesCents) {
        static OrganisationView of(Organisation o, long owes) {
            Organisation.Suspension s = o.suspension();
            return new OrganisationView(o.id(), o.name(), o.kid(), o.status().name(), o.registeredAt(), o.approvedAt(),
                    s == null ? null : new SuspensionView(s.at(), s.reason()), owes);
        }
    }

    /** A suspension in force: when, and the operator's reason. */
    public record SuspensionView(Instant at, String reason) {
    }

    @Operation(summary = "Register an organisation with its request-signing key")
    @POST
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull Registration body) {
        byte[] key;
        try {
            key = ResearcherKeys.parse(body.publicKey());
        } catch (IllegalArgumentException e) {
            throw InvalidInput.field("publicKey", e.getMessage());
        }
        Organisation org = store.register(body.name().strip(), caller.subjectHash(), caller.subject(), key, clock.instant())
                .orElseThrow(() -> new Conflict("researcher-exists", "Already registered",
                        "this token's subject already manages an organisation"));
        return Response.created(URI.create("/researchers/" + org.id())).entity(OrganisationView.of(org, 0)).build();
    }

    @Operation(summary = "An organisation")
    @GET
    @Path("/{orgId}")
    public OrganisationView get(@PathParam("orgId") UUID orgId) {
        Organisation org = caller.require(orgId);
        return OrganisationView.of(org, leases.owedBy(orgId));
    }
}
