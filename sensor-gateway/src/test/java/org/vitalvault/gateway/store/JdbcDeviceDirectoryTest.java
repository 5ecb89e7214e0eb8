package org.vitalvault.gateway.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.ingest.DeviceOwner;
import org.vitalvault.store.Migrations;

/** The directory's two queries against the vault's schema: the refresher's bulk one answers as the single one does. */
class JdbcDeviceDirectoryTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            Migrations.applyAll(c);
            c.createStatement().execute("create role gateway login in role vitalvault_gateway");
        }
    }

    /** Logged in as the gateway is in production: a member of vitalvault_gateway, which reads only the view. */
    private static javax.sql.DataSource asGateway() {
        return postgres.getDatabase("gateway", "postgres");
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private static UUID owner(int keyVersions) throws SQLException {
        UUID owner = UUID.randomUUID();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, "subject-" + owner);
                ps.executeUpdate();
            }
            for (int v = 1; v <= keyVersions; v++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into owner_key values (?, ?, ?, '\\x02'::bytea, 'kek', now(), null)")) {
                    ps.setObject(1, owner);
                    ps.setInt(2, v);
                    ps.setBytes(3, new byte[] {(byte) v, 7});
                    ps.executeUpdate();
                }
            }
        }
        return owner;
    }

    private static UUID device(UUID owner, boolean unpaired) throws SQLException {
        UUID device = UUID.randomUUID();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into device (owner_id, device_id, name, credential_hash, paired_at, unpaired_at, mac_key, mac_required)"
                        + " values (?, ?, 'strap', '\\x00'::bytea, now(), " + (unpaired ? "now()" : "null")
                        + ", '\\x0a0b'::bytea, true)")) {
            ps.setObject(1, owner);
            ps.setObject(2, device);
            ps.executeUpdate();
        }
        return device;
    }

    @Test
    void theRefreshersBulkLookupAnswersEveryDeviceAsTheSingleLookupDoes() throws Exception {
        JdbcDeviceDirectory directory = new JdbcDeviceDirectory(asGateway(), Duration.ofSeconds(10));
        UUID rotated = owner(2);
        UUID plain = owner(1);
        UUID a = device(rotated, false);
        UUID b = device(plain, false);
        UUID gone = device(plain, true);
        UUID unknown = UUID.randomUUID();

        Map<UUID, DeviceOwner> bulk = directory.loadAll(List.of(a, b, gone, unknown));

        assertEquals(2, bulk.size(), "only the paired devices answer");
        for (UUID d : List.of(a, b, gone, unknown)) {
            Optional<DeviceOwner> single = directory.load(d);
            assertEquals(single.isPresent(), bulk.containsKey(d), d.toString());
            single.ifPresent(s -> {
                DeviceOwner got = bulk.get(d);
                assertEquals(s.ownerId(), got.ownerId());
                assertEquals(s.keyVersion(), got.keyVersion());
                assertArrayEquals(s.ownerPublicKey(), got.ownerPublicKey());
                assertArrayEquals(s.macKey(), got.macKey());
                assertEquals(s.macRequired(), got.macRequired());
            });
        }
        assertEquals(2, bulk.get(a).keyVersion(), "the newest current key");
        assertTrue(bulk.get(b).macRequired());
        assertFalse(bulk.containsKey(gone));
    }

    @Test
    void theWarmUpReadsEveryPairedDeviceInOneQuery() throws Exception {
        UUID owner = owner(1);
        device(owner, false);
        device(owner, false);
        device(owner, true);
        long paired;
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var rs = c.createStatement().executeQuery("select count(*) from device where unpaired_at is null")) {
            rs.next();
            paired = rs.getLong(1);
        }
        JdbcDeviceDirectory directory = new JdbcDeviceDirectory(asGateway(), Duration.ofSeconds(10));

        assertEquals(paired, directory.warmUp());
        assertEquals(paired, directory.cached());
    }

    @Test
    void theGatewaysLoginHearsTheVaultsUnpairingAndForgetsTheDevice() throws Exception {
        JdbcDeviceDirectory directory = new JdbcDeviceDirectory(asGateway(), Duration.ofMinutes(10));
        UUID device = device(owner(1), false);
        assertTrue(directory.lookup(device).isPresent());
        directory.listenForUnpairing();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // Notify until heard: the listener thread may not have run LISTEN yet.
        while (directory.lookup(device).isPresent() && System.nanoTime() < deadline) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
                ps.setString(1, org.vitalvault.notify.NotifyChannels.DEVICE_UNPAIRED);
                ps.setString(2, device.toString());
                ps.execute();
            }
            Thread.sleep(200);
        }
        assertFalse(directory.lookup(device).isPresent(), "the cached device is forgotten at once");
    }
}
