package org.vitalvault.vault.audit.tree;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vitalvault.vault.audit.tree.AuditViews.ConsistencyView;
import org.vitalvault.vault.audit.tree.AuditViews.DeploymentAuditView;
import org.vitalvault.vault.audit.tree.AuditViews.LogKeyView;
import org.vitalvault.vault.refusal.InvalidInput;
import org.vitalvault.vault.refusal.NotFound;

/**
 * The transparency log as anyone sees it: the latest signed checkpoint, the key that signs it, and
 * consistency proofs between checkpoints — public, since they are hashes and sizes and reveal
 * nothing about anyone (every leaf is a salted commitment). The deployment's own entries (leases,
 * operator actions; no personal data) are for owners and operators.
 */
@Path("/audit")
public class AuditResource {

    /** signed-note is UTF-8 text. */
    static final String NOTE_TYPE = "text/plain; charset=utf-8";

    @Inject
    AuditPages pages;

    @Inject
    LogKey logKey;

    @Operation(summary = "The log's latest signed checkpoint (C2SP signed note)")
    @APIResponse(responseCode = "200", description = "the signed note",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = NOTE_TYPE))
    @APIResponse(responseCode = "404", description = "No checkpoint was issued yet")
    @GET
    @Path("/checkpoint")
    @PermitAll
    @Produces(NOTE_TYPE)
    public Response checkpoint() throws SQLException {
        String note = pages.latestCheckpoint()
                .orElseThrow(() -> new NotFound("no-checkpoint", "No checkpoint yet", "the log has no signed checkpoint yet"));
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        return Response.ok(note, NOTE_TYPE).cacheControl(cache).build();
    }

    @Operation(summary = "The key that signs the log's checkpoints")
    @GET
    @Path("/key")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Response key() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        LogKeyView view = new LogKeyView(logKey.origin(), logKey.noteKey().verifierKey(),
                Base64.getEncoder().encodeToString(logKey.publicKey()));
        return Response.ok(view).cacheControl(cache).build();
    }

    @Operation(summary = "A consistency proof between two tree sizes; the larger must be a checkpoint's")
    @APIResponse(responseCode = "404", description = "No checkpoint was issued for size `to`")
    @GET
    @Path("/consistency")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public ConsistencyView consistency(
            @Parameter(description = "the smaller tree size, 0 to `to`", required = true,
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("from") String from,
            @Parameter(description = "a tree size a checkpoint was issued for", required = true,
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("to") String to)
            throws SQLException {
        long fromSize = AuditParams.required("from", from, 0);
        long toSize = AuditParams.required("to", to, 0);
        if (fromSize > toSize) {
            throw InvalidInput.field("from", "must not exceed to");
        }
        return pages.consistency(fromSize, toSize)
                .orElseThrow(() -> new NotFound("checkpoint of size " + toSize));
    }

    @Operation(summary = "The deployment's log entries (no personal data) with inclusion proofs, in leaf order")
    @GET
    @Path("/deployment")
    // Owners check what the operator did; researchers are kept out: the entries hold every
    // organisation's lease terms, denial reasons and cohort estimates.
    @RolesAllowed({"owner", "operator"})
    @Produces(MediaType.APPLICATION_JSON)
    public DeploymentAuditView deployment(
            @Parameter(description = "list entries with a larger leaf index", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "-1", defaultValue = "-1")) @QueryParam("afterIndex") String afterIndex,
            @Parameter(description = "entries per page, 1 to " + AuditParams.MAX_LIMIT, schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + AuditParams.MAX_LIMIT, defaultValue = "" + AuditParams.DEFAULT_LIMIT))
            @QueryParam("limit") String limit) throws SQLException {
        return pages.deployment(AuditParams.parse("afterIndex", afterIndex, -1, -1, Long.MAX_VALUE), AuditParams.limit(limit));
    }
}
