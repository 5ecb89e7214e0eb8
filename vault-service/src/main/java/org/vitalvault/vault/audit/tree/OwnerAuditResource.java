package org.vitalvault.vault.audit.tree;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.audit.tree.AuditViews.OwnerAuditView;
import org.vitalvault.vault.auth.CallerOwner;

/**
 * An owner's recourse, provable: their log entries (opened: the bytes and salts that the log's
 * leaves commit to), each with its inclusion proof against the latest signed checkpoint, and a
 * consistency proof from a checkpoint the owner already holds — everything {@code
 * deploy/verify-audit.sh} checks offline against the vault's key. Another owner's id is 404.
 */
@Path("/owners/{ownerId}/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class OwnerAuditResource {

    @Inject
    CallerOwner caller;

    @Inject
    AuditPages pages;

    @Operation(summary = "The owner's transparency-log entries with inclusion proofs and the latest checkpoint")
    @GET
    public OwnerAuditView audit(
            @PathParam("ownerId") UUID ownerId,
            @Parameter(description = "list entries with a larger seq", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0", defaultValue = "0")) @QueryParam("afterSeq") String afterSeq,
            @Parameter(description = "entries per page, 1 to " + AuditParams.MAX_LIMIT, schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + AuditParams.MAX_LIMIT, defaultValue = "" + AuditParams.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "the size of a checkpoint the owner holds: adds a consistency proof from it",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("since") String since)
            throws SQLException {
        caller.require(ownerId);
        long after = AuditParams.parse("afterSeq", afterSeq, 0, 0, Long.MAX_VALUE);
        int l = AuditParams.limit(limit);
        Long held = AuditParams.optional("since", since, 0, Long.MAX_VALUE);
        return pages.owner(ownerId, after, l, held);
    }
}
