package org.vitalvault.vault.emergency;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.datause.DataUseResource.PersonalAccess;
import org.vitalvault.vault.datause.PersonalAccessLog;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.http.Window;
import org.vitalvault.vault.refusal.InvalidInput;

/**
 * The owner's side of break-glass: allow emergency access (and get the code, once), stop allowing
 * it, see every episode with every read, and end an episode. Another owner's id is 404.
 */
@Path("/owners/{ownerId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class EmergencyAccessResource {

    /** What the owner asks: {@code {"enabled": true}} (a fresh code) or {@code {"enabled": false}}. */
    public record SettingRequest(Boolean enabled) {
    }

    /**
     * Whether emergency access is on.
     *
     * @param duration      how long one episode lasts (ISO-8601), e.g. {@code PT1H}
     * @param emergencyCode only in the answer to enabling: the code, shown this once (the vault keeps a
     *                      keyed hash); for a card in the wallet or the phone's lock screen
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Setting(boolean enabled, @Schema(example = "PT1H") String duration, Instant enabledAt,
                          @Schema(example = "7K3M-QX9D-2RTV-H4PN") String emergencyCode) {
    }

    /**
     * One emergency episode as the owner sees it.
     *
     * @param clinician who opened it (their login subject)
     * @param reason    the reason they stated
     * @param status    {@code open}, {@code ended} or {@code expired}
     * @param endedBy   {@code owner} (ended by the owner) or {@code disabled} (ended by turning emergency access off)
     * @param accesses  every read under it, oldest first
     */
    public record Episode(UUID id, String clinician, String reason,
                          @Schema(enumeration = {"open", "ended", "expired"}) String status, Instant startedAt,
                          Instant expiresAt, Instant endedAt, @Schema(enumeration = {"owner", "disabled"}) String endedBy,
                          List<PersonalAccess> accesses) {
    }

    @Inject
    CallerOwner caller;

    @Inject
    EmergencyService service;

    @Inject
    EmergencyStore store;

    @Inject
    VaultConfig config;

    @Operation(summary = "Whether emergency (break-glass) access to the owner's data is allowed")
    @GET
    @Path("/emergency-access")
    public Setting setting(@PathParam("ownerId") UUID ownerId) {
        caller.require(ownerId);
        return store.setting(ownerId).map(s -> setting(s.enabledAt(), null)).orElseGet(() -> setting(null, null));
    }

    @Operation(summary = "Allow emergency access (a fresh emergency code, shown once) or stop allowing it")
    @PUT
    @Path("/emergency-access")
    @Consumes(MediaType.APPLICATION_JSON)
    public Setting put(@PathParam("ownerId") UUID ownerId, SettingRequest body) {
        caller.require(ownerId);
        if (body == null || body.enabled() == null) {
            throw InvalidInput.field("enabled", "is required, true or false");
        }
        if (!body.enabled()) {
            service.disable(ownerId);
            return setting(null, null);
        }
        String code = service.enable(ownerId);
        return setting(store.setting(ownerId).orElseThrow().enabledAt(), code);
    }

    @Operation(summary = "Every emergency episode of the owner, newest first, with every read")
    @GET
    @Path("/emergency-episodes")
    public List<Episode> episodes(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        return service.episodesOf(ownerId, page::page).stream().map(EmergencyAccessResource::episode).toList();
    }

    @Operation(summary = "One emergency episode with every read")
    @GET
    @Path("/emergency-episodes/{episodeId}")
    public Episode episode(@PathParam("ownerId") UUID ownerId, @PathParam("episodeId") UUID episodeId) {
        caller.require(ownerId);
        return episode(service.episodeOf(ownerId, episodeId));
    }

    @Operation(summary = "End an emergency episode now")
    @POST
    @Path("/emergency-episodes/{episodeId}/end")
    public Episode end(@PathParam("ownerId") UUID ownerId, @PathParam("episodeId") UUID episodeId) {
        caller.require(ownerId);
        return episode(service.end(ownerId, episodeId));
    }

    private Setting setting(Instant enabledAt, String code) {
        return new Setting(enabledAt != null, config.emergency().duration().toString(), enabledAt, code);
    }

    private static Episode episode(EmergencyService.OwnerEpisode e) {
        EmergencyStore.Episode r = e.row();
        return new Episode(r.id(), e.clinician(), e.reason(), e.status(), r.startedAt(), r.expiresAt(), r.endedAt(),
                r.endedBy(), e.accesses().stream().map(EmergencyAccessResource::access).toList());
    }

    /** The same shape as {@code GET /owners/{id}/accesses}. */
    private static PersonalAccess access(PersonalAccessLog.Entry entry) {
        PersonalAccessLog.Access a = entry.access();
        return new PersonalAccess(entry.id(), a.kind().name().toLowerCase(Locale.ROOT), a.grantId(), a.accessor(),
                a.reason(), a.metric(), a.resolution(),
                a.dataFrom() == null ? null : new Window(a.dataFrom(), a.dataUntil()), a.accessedAt());
    }
}
