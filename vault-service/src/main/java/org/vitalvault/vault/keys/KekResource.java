package org.vitalvault.vault.keys;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.refusal.Conflict;

/** Operator action: run the KEK rotation now (it also runs at start-up when a previous KEK is set). */
@Path("/operator/kek")
@RolesAllowed("operator")
public class KekResource {

    @Inject
    KekRotation rotation;

    /** Re-wraps owner keys still under the previous KEK; answers counts and kek ids, never a key. */
    @Operation(summary = "Re-wrap owner keys under the current master key (operator)")
    @POST
    @Path("/rewrap")
    @Produces(MediaType.APPLICATION_JSON)
    public KekRotation.Report rewrap() {
        try {
            return rotation.rewrap();
        } catch (KekRotation.UnknownKekException e) {
            throw new Conflict("kek-unknown", "Unknown KEK", e.getMessage());
        }
    }
}
