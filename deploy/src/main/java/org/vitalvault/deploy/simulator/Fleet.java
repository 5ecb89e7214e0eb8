package org.vitalvault.deploy.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.deploy.stack.VaultClient;

/**
 * The simulated owners and their paired devices. Device credentials and MAC keys are shown once at
 * pairing, so the fleet is kept in the data folder (mode 0600) and a second run reuses the devices.
 */
public final class Fleet {

    /** One simulated device: its id, credential, MAC key and which vital it measures. */
    public record SimDevice(UUID deviceId, String credential, byte[] macKey, boolean macRequired, String kind) {
        @Override
        public String toString() {
            return "SimDevice[" + deviceId + ", " + kind + "]";
        }
    }

    /** One simulated owner. */
    public record SimOwner(String subject, UUID ownerId, List<SimDevice> devices) {
    }

    /** The kinds of device every simulated owner wears. */
    public static final List<String> KINDS = List.of("chest-strap", "pulse-oximeter", "thermometer", "respiration-band");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fleet() {
    }

    /**
     * Loads the fleet from {@code file}, registering and pairing whatever of {@code owners} is
     * missing. Devices are paired mac-required when {@code mac} is set.
     */
    public static List<SimOwner> ensure(Path file, int owners, boolean mac, VaultClient vault)
            throws IOException, InterruptedException {
        List<SimOwner> fleet = new ArrayList<>();
        if (Files.exists(file)) {
            for (SimOwner o : JSON.readValue(file.toFile(), SimOwner[].class)) {
                // A fleet paired without MAC keys (older runs) or in the other MAC mode is paired again.
                boolean fits = o.devices().stream().allMatch(d -> d.macKey() != null && d.macRequired() == mac);
                if (fits) {
                    fleet.add(o);
                }
            }
        }
        boolean changed = false;
        int next = 1;
        while (fleet.size() < owners) {
            String subject = "sim-owner-" + next++;
            if (fleet.stream().anyMatch(o -> o.subject().equals(subject))) {
                continue;
            }
            String token = vault.devToken(subject, "owner");
            UUID ownerId = vault.registerOrFind(token);
            List<SimDevice> devices = new ArrayList<>();
            for (String kind : KINDS) {
                VaultClient.Pairing p = vault.pair(token, ownerId, kind, mac);
                devices.add(new SimDevice(p.deviceId(), p.credential(), p.macKey(), mac, kind));
            }
            fleet.add(new SimOwner(subject, ownerId, devices));
            changed = true;
        }
        if (changed) {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".fleet", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), fleet);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return fleet.subList(0, owners);
    }
}
