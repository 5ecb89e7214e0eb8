package org.vitalvault.vault.device;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.vitalvault.notify.NotifyChannels;
import org.vitalvault.vault.auth.CallerOwner;
import org.vitalvault.vault.broker.BrokerProvisioning;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.http.PageParams;
import org.vitalvault.vault.keys.OwnerKeyring;
import org.vitalvault.vault.notify.Notice;
import org.vitalvault.vault.notify.NoticeKind;
import org.vitalvault.vault.notify.OwnerNotices;
import org.vitalvault.vault.readings.ReadingResource;
import org.vitalvault.vault.refusal.NotFound;
import org.vitalvault.wire.RejectionReason;
import org.vitalvault.wire.Topics;

/** Pairing: an owner registers a sensor and receives the id and credential to flash into it. */
@Path("/owners/{ownerId}/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("owner")
public class DeviceResource {

    @Inject
    DeviceActivityStore activity;

    @Inject
    OwnerNotices notices;

    @Inject
    CallerOwner caller;

    @Inject
    Clock clock;

    @Inject
    VaultConfig config;

    @Inject
    BrokerCaForDevices brokerCa;

    @Inject
    BrokerProvisioning broker;

    @Inject
    DeviceNames names;

    @Inject
    OwnerKeyring keyring;

    /** What the owner asks for when pairing. */
    public record PairRequest(@NotBlank @Size(max = 100) String name, Boolean macRequired) {
    }

    /**
     * Everything a device needs to publish: it connects with client id and user name = its device id
     * and the credential as password; it may wrap its SenML in COSE_Mac0 under {@code macKey}
     * (base64url, HMAC 256/256); it reads what was stored from {@code receiptTopic}. The credential
     * and the MAC key are never shown again. For an {@code ssl://} {@code mqttUrl}, {@code mqttCaPem}
     * is the CA certificate (PEM) the broker's certificate chains to, when the vault is configured
     * with one ({@code vitalvault.mqtt.ca-file}; null otherwise: the broker's certificate is from a
     * CA the device already trusts). {@code pairingQrSvg} is all of it as a QR code (an SVG document,
     * {@link PairingQr}); the CA certificate is in the code only when {@code pairingQrIncludesCaPem}
     * (a large certificate would make the code too dense to scan: then take it from {@code mqttCaPem}).
     */
    public record Pairing(UUID id, String name, String mqttUrl, String clientId, String username, String credential,
                          String macKey, boolean macRequired, String topic, String receiptTopic, Instant pairedAt,
                          String mqttCaPem, String pairingQrSvg, boolean pairingQrIncludesCaPem) {
        @Override
        public String toString() {
            return "Pairing[" + id + "]";
        }
    }

    /**
     * A paired device as listed later. {@code lastSeen}: when the gateway last received a message of
     * it, stored or refused (null: never, or not within the activity retention and never compacted).
     * {@code lastSeenAt} is the same instant under its older name, kept for existing clients.
     */
    public record DeviceView(UUID id, String name, boolean macRequired, Instant pairedAt, Instant lastSeen,
                             Instant lastSeenAt) {
    }

    /** One reason a device's records were refused, with how many and when last. */
    public record ReasonView(String code, String reason, String description, long count, Instant lastAt) {
    }

    /** A device's refused records since {@code since}, by reason, most frequent first. */
    public record RejectionsView(UUID deviceId, Instant since, long total, List<ReasonView> reasons) {
    }

    @Operation(summary = "Pair a device; returns its credentials once")
    @POST
    // A checked SQLException would commit by default: roll back on it as on any runtime failure.
    @Transactional(rollbackOn = SQLException.class)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response pair(@PathParam("ownerId") UUID ownerId, @Valid @NotNull PairRequest request) throws SQLException {
        caller.require(ownerId);
        DeviceCredential credential = DeviceCredential.generate();
        Device device = new Device();
        device.ownerId = ownerId;
        device.deviceId = UUID.randomUUID();
        // Sealed to the owner's key: a dump shows ciphertext, the owner sees the name (decision 037).
        DeviceNames.Sealed name = names.seal(ownerId, device.deviceId, request.name());
        device.nameSealed = name.sealed();
        device.nameKeyVersion = name.keyVersion();
        device.credentialHash = credential.hash();
        byte[] macKey = DeviceCredential.newMacKey();
        device.macKey = macKey;
        device.macRequired = Boolean.TRUE.equals(request.macRequired());
        device.pairedAt = clock.instant();
        device.persistAndFlush();
        // Last, once the row is written: a broker that cannot be told fails the pairing whole (503).
        broker.provision(device.deviceId, credential.secret());
        notices.post(ownerId, new Notice(NoticeKind.DEVICE, "Your device '" + request.name() + "' was paired."));
        String macKeyText = Base64.getUrlEncoder().withoutPadding().encodeToString(macKey);
        String caPem = brokerCa.pem();
        PairingQr.Qr qr = PairingQr.of(device.deviceId, credential.secret(), config.mqtt().publicUrl(),
                Topics.readings(device.deviceId), Topics.receipts(device.deviceId), macKeyText, device.macRequired, caPem);
        Pairing pairing = new Pairing(device.deviceId, request.name(), config.mqtt().publicUrl(),
                device.deviceId.toString(), device.deviceId.toString(), credential.secret(),
                macKeyText, device.macRequired,
                Topics.readings(device.deviceId), Topics.receipts(device.deviceId), device.pairedAt, caPem,
                qr.svg(), qr.includesCaPem());
        return Response.created(URI.create("/owners/" + ownerId + "/devices/" + device.deviceId))
                .entity(pairing).build();
    }

    @Operation(summary = "The owner's paired devices")
    @GET
    public List<DeviceView> list(@PathParam("ownerId") UUID ownerId, @BeanParam PageParams page) {
        caller.require(ownerId);
        // Last seen: the gateway's activity rows (a few index rows per device) and what compaction
        // recorded (older than the activity retention). No sealed batch is opened for it.
        Map<UUID, Instant> recent = activity.lastSeen(ownerId);
        List<Device> paired = Device.ofOwner(ownerId).stream().filter(d -> d.unpairedAt == null).toList();
        try (OwnerKeyring.Session keys = keyring.open(ownerId)) {
            return page.page(paired).stream()
                    .map(d -> {
                        Instant seen = latest(d.lastSeenAt, recent.get(d.deviceId));
                        return new DeviceView(d.deviceId, DeviceNames.name(keys, d.deviceId, d.name, d.nameSealed,
                                d.nameKeyVersion), d.macRequired, d.pairedAt, seen, seen);
                    })
                    .toList();
        }
    }

    /**
     * Why the gateway refused a device's records, by reason, since {@code since} (default and
     * earliest: the activity retention, {@code vitalvault.devices.activity-retention}). Also for an
     * unpaired device of the owner's; another owner's device is 404 like an unknown one.
     */
    @Operation(summary = "A device's refused records by reason, with plain-language descriptions")
    @GET
    @Path("/{deviceId}/rejections")
    public RejectionsView rejections(@PathParam("ownerId") UUID ownerId, @PathParam("deviceId") UUID deviceId,
                                     @QueryParam("since") String since) {
        caller.require(ownerId);
        if (Device.findById(new Device.Key(ownerId, deviceId)) == null) {
            throw new NotFound("no device " + deviceId);
        }
        Instant earliest = clock.instant().minus(config.devices().activityRetention());
        Instant from = since == null ? earliest : instant("since", since);
        if (from.isBefore(earliest)) {
            from = earliest;
        }
        List<ReasonView> reasons = activity.rejections(ownerId, deviceId, from).stream().map(r -> {
            RejectionReason reason = RejectionReason.fromCode(r.code()).orElse(null);
            RejectionDescriptions.Text text = reason == null ? null : RejectionDescriptions.of(reason);
            // A code a newer gateway wrote that this vault does not know: shown as it came.
            return new ReasonView(r.code(), reason == null ? null : reason.name(),
                    text == null ? "Refused for a reason this vault version does not describe (" + r.code() + ")."
                            : text.description(), r.count(), r.lastAt());
        }).toList();
        return new RejectionsView(deviceId, from, reasons.stream().mapToLong(ReasonView::count).sum(), reasons);
    }

    private static Instant instant(String field, String value) {
        return ReadingResource.instant(field, value);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /**
     * Unpairs a device: its credential stops working for new broker connections at once (an external
     * broker is told right after the commit, and again until it confirmed: docs/decisions/029), gateways
     * stop accepting its readings (at once where they listen for the notification, else within
     * their device cache lifetime), and its past readings stay the owner's.
     */
    @Operation(summary = "Unpair a device")
    @DELETE
    @Path("/{deviceId}")
    @Transactional
    public Response unpair(@PathParam("ownerId") UUID ownerId, @PathParam("deviceId") UUID deviceId) {
        caller.require(ownerId);
        Device device = Device.findById(new Device.Key(ownerId, deviceId));
        if (device == null || device.unpairedAt != null) {
            throw new NotFound("no paired device " + deviceId);
        }
        device.unpairedAt = clock.instant();
        String name;
        try (OwnerKeyring.Session keys = keyring.open(ownerId)) {
            name = DeviceNames.name(keys, deviceId, device.name, device.nameSealed, device.nameKeyVersion);
        }
        notices.post(ownerId, new Notice(NoticeKind.DEVICE, "Your device '" + name + "' was unpaired."));
        // Listeners (gateways, the local stack's broker) drop the device when this commits.
        Device.getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, NotifyChannels.DEVICE_UNPAIRED).setParameter(2, deviceId.toString()).getSingleResult();
        broker.deprovision(deviceId);
        return Response.noContent().build();
    }
}
