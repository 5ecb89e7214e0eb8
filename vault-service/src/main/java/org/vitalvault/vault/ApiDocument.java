package org.vitalvault.vault;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.lease.LeaseRequestPayload;
import org.vitalvault.vault.query.QueryPayload;
import org.vitalvault.vault.researcher.KeyRotationPayload;

/**
 * The head of the API document at {@code /q/openapi}. Researchers send signed requests as compact
 * JWS strings, so the shapes they sign appear in no request body; they are listed here as schemas.
 * The vocabulary every body follows is docs/decisions/022.
 */
@OpenAPIDefinition(
        info = @Info(title = "Vital Vault", version = "1",
                description = "An owner's vault of health readings and the consent, leases and aggregate queries over it. "
                        + "Time windows are {from, until} ISO-8601 instants, half-open; refusals are RFC 9457 problem JSON; "
                        + "list endpoints take limit and offset."),
        components = @Components(schemas = {
                @Schema(name = "LeaseRequestPayload", implementation = LeaseRequestPayload.class,
                        description = "The payload of a signed lease request (JWS typ vitalvault.lease-request)"),
                @Schema(name = "QueryPayload", implementation = QueryPayload.class,
                        description = "The payload of a signed query (JWS typ vitalvault.lease-query)"),
                @Schema(name = "KeyRotationPayload", implementation = KeyRotationPayload.class,
                        description = "The payload of a signed key rotation (JWS typ vitalvault.key-rotation)")}))
public class ApiDocument extends Application {
    // No paths or classes of its own: every resource is still found by scanning. SmallRye reads
    // @OpenAPIDefinition only from the JAX-RS Application class.
}
