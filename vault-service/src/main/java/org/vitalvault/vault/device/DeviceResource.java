package org.vitalvault.vault.device;

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
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.owner.CallerOwner;

/** Pairing: an owner registers a sensor and receives the id and credential to flash into it. */
@Path("/owners/{ownerId}/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class DeviceResource {

    @Inject
    CallerOwner caller;

    @Inject
    Clock clock;

    @Inject
    VaultConfig config;

    /** What the owner asks for when pairing. */
    public record PairRequest(@NotBlank @Size(max = 100) String name) {
    }

    /**
     * Everything a device needs to publish: it connects with client id and user name = its device id.
     * The credential is never shown again.
     */
    public record Pairing(UUID deviceId, String name, String mqttUrl, String clientId, String username, String credential,
                          String topic, Instant pairedAt) {
        @Override
        public String toString() {
            return "Pairing[" + deviceId + "]";
        }
    }

    /** A paired device as listed later. */
    public record DeviceView(UUID deviceId, String name, Instant pairedAt) {
    }

    @POST
    @Transactional
    @Consumes(MediaType.APPLICATION_JSON)
    public Response pair(@PathParam("ownerId") UUID ownerId, @Valid @NotNull PairRequest request) {
        caller.require(ownerId);
        DeviceCredential credential = DeviceCredential.generate();
        Device device = new Device();
        device.ownerId = ownerId;
        device.deviceId = UUID.randomUUID();
        device.name = request.name();
        device.credentialHash = credential.hash();
        device.pairedAt = clock.instant();
        device.persist();
        Pairing pairing = new Pairing(device.deviceId, device.name, config.mqtt().publicUrl(),
                device.deviceId.toString(), device.deviceId.toString(), credential.secret(), "readings/" + device.deviceId, device.pairedAt);
        return Response.created(URI.create("/owners/" + ownerId + "/devices/" + device.deviceId))
                .entity(pairing).build();
    }

    @GET
    public List<DeviceView> list(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        return Device.ofOwner(ownerId).stream()
                .filter(d -> d.unpairedAt == null)
                .map(d -> new DeviceView(d.deviceId, d.name, d.pairedAt))
                .toList();
    }
}
