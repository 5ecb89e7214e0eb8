package org.vitalvault.vault.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.vitalvault.vault.auth.CallerOwner;

/**
 * An owner takes everything their vault holds elsewhere: as a FHIR R4 Bundle (default) or as CSV,
 * streamed as it is read, so the size of a vault is no limit.
 */
@Path("/owners/{ownerId}/export")
@RolesAllowed("owner")
public class ExportResource {

    @Inject
    CallerOwner caller;

    @Inject
    OwnerExport export;

    /**
     * @param format {@code fhir} (default; {@code application/fhir+json}) or {@code csv}
     *               ({@code text/csv})
     */
    @Operation(summary = "Export all of the owner's readings (CSV or FHIR), streamed")
    @GET
    @Produces({FhirBundleWriter.MEDIA_TYPE, "text/csv"})
    public Response export(@PathParam("ownerId") UUID ownerId, @Parameter(schema = @Schema(enumeration = {"fhir", "csv"}, defaultValue = "fhir"))
                           @QueryParam("format") String format) {
        caller.require(ownerId);
        ExportFormat f = ExportFormat.parse(format);
        export.announce(ownerId, f);
        StreamingOutput body = out -> export.write(ownerId, f, out);
        return Response.ok(body, f.mediaType())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + f.fileName(ownerId) + "\"")
                .build();
    }
}
