package org.vitalvault.vault.keys;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.http.PageParams;

/**
 * An owner's key versions and their rotation. Never returns key material: versions and dates only.
 */
@Path("/owners/{ownerId}/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class OwnerKeyResource {

    @Inject
    CallerOwner caller;

    @Inject
    OwnerKeyRotation rotation;

    @Inject
    AgroalDataSource dataSource;

    /** One key version: current when {@code retiredAt} is null. */
    public record KeyVersion(int version, Instant createdAt, Instant retiredAt) {
    }

    @Operation(summary = "The owner's key versions")
    @GET
    public List<KeyVersion> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) throws SQLException {
        caller.require(ownerId);
        return page.page(versions(ownerId));
    }

    private List<KeyVersion> versions(UUID ownerId) throws SQLException {
        List<KeyVersion> versions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select key_version, created_at, retired_at from owner_key where owner_id = ? order by key_version")) {
            ps.setObject(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(new KeyVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return versions;
    }

    /**
     * Rotates the owner's key pair: new data is sealed to the new pair; compaction re-seals the old
     * data in the background and destroys the old pair once nothing refers to it.
     */
    @Operation(summary = "Rotate the owner's key")
    @POST
    @Path("/rotate")
    public KeyVersion rotate(@PathParam("ownerId") UUID ownerId) throws SQLException {
        caller.require(ownerId);
        int version = rotation.rotate(ownerId);
        return versions(ownerId).stream().filter(k -> k.version() == version).findFirst().orElseThrow();
    }
}
