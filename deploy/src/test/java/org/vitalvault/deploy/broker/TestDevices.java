package org.vitalvault.deploy.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.wire.Topics;

/**
 * The {@code device} table as vault-service's migration creates it, and pairing helpers, so the
 * broker can be tested against real rows.
 */
final class TestDevices {

    static final String SERVICE_USER = "vault-gateway";
    static final byte[] SERVICE_PASSWORD = "service-secret-for-tests".getBytes(StandardCharsets.UTF_8);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalPostgres postgres;

    private TestDevices(LocalPostgres postgres) {
        this.postgres = postgres;
    }

    /** Creates the {@code device} table (once per database) and returns the helper. */
    static TestDevices createTable(LocalPostgres postgres) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            statement.execute("""
                    create table if not exists device (
                        owner_id uuid not null,
                        device_id uuid not null,
                        name text not null,
                        credential_hash bytea not null,
                        paired_at timestamptz not null,
                        unpaired_at timestamptz,
                        primary key (owner_id, device_id))""");
            statement.execute("create unique index if not exists device_by_id on device (device_id)");
        }
        return new TestDevices(postgres);
    }

    DatabaseBrokerCredentials credentials() {
        return new DatabaseBrokerCredentials(
                postgres.jdbcUrl(), postgres.user(), postgres.password(), SERVICE_USER, SERVICE_PASSWORD);
    }

    /** Pairs a new device with a random 32-byte secret and returns it. */
    PairedDevice pair() throws SQLException {
        UUID deviceId = UUID.randomUUID();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        try (Connection connection = connect(postgres);
                PreparedStatement insert = connection.prepareStatement(
                        "insert into device (owner_id, device_id, name, credential_hash, paired_at)"
                                + " values (?, ?, 'test sensor', ?, now())")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, deviceId);
            insert.setBytes(3, sha256(secret));
            insert.executeUpdate();
        }
        return new PairedDevice(deviceId.toString(), secret);
    }

    void unpair(PairedDevice device) throws SQLException {
        try (Connection connection = connect(postgres);
                PreparedStatement update = connection.prepareStatement(
                        "update device set unpaired_at = now() where device_id = ?")) {
            update.setObject(1, UUID.fromString(device.id()));
            update.executeUpdate();
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A paired device: its id (also its MQTT user name and client id) and its secret (password). */
    record PairedDevice(String id, byte[] secret) {
        String readings() {
            return Topics.readings(id);
        }

        String receipts() {
            return Topics.receipts(id);
        }
    }
}
