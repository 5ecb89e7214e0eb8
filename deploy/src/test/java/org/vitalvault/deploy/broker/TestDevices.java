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
import java.util.List;
import java.util.UUID;
import org.vitalvault.deploy.db.LocalPostgres;
import org.vitalvault.store.Migrations;
import org.vitalvault.wire.Topics;

/**
 * The vault's schema (sealed-store's migrations) and pairing helpers, so the broker can be tested
 * against real rows, read as the local stack reads them: logged in as a member of
 * {@code vitalvault_broker}, which may read the view {@code broker_device_credential} and nothing else.
 */
final class TestDevices {

    static final String SERVICE_USER = "vault-gateway";
    static final byte[] SERVICE_PASSWORD = "service-secret-for-tests".getBytes(StandardCharsets.UTF_8);
    /** The vault's audit checkpoint publisher (the local stack's is {@code vitalvault-audit} too). */
    static final String AUDIT_USER = "vitalvault-audit";
    static final byte[] AUDIT_PASSWORD = "audit-secret-for-tests".getBytes(StandardCharsets.UTF_8);
    /** An outside witness that may only read checkpoints. */
    static final String WITNESS_USER = "vitalvault-witness";
    static final byte[] WITNESS_PASSWORD = "witness-secret-for-tests".getBytes(StandardCharsets.UTF_8);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalPostgres postgres;

    private TestDevices(LocalPostgres postgres) {
        this.postgres = postgres;
    }

    /** The broker's login in these tests (the local stack's is {@code broker} too). */
    static final String BROKER_LOGIN = "broker";

    /** Migrates the database (once) and creates the broker's login, then returns the helper. */
    static TestDevices createTable(LocalPostgres postgres) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            Migrations.applyAll(connection);
            statement.execute("create role " + BROKER_LOGIN + " login in role vitalvault_broker");
        }
        return new TestDevices(postgres);
    }

    DatabaseBrokerCredentials credentials() {
        return new DatabaseBrokerCredentials(postgres.jdbcUrl(), BROKER_LOGIN, postgres.password(), List.of(
                new DatabaseBrokerCredentials.ServiceLogin(SERVICE_USER, SERVICE_PASSWORD,
                        DatabaseBrokerCredentials.ServiceLogin.Kind.GATEWAY),
                new DatabaseBrokerCredentials.ServiceLogin(AUDIT_USER, AUDIT_PASSWORD,
                        DatabaseBrokerCredentials.ServiceLogin.Kind.AUDIT_PUBLISHER),
                new DatabaseBrokerCredentials.ServiceLogin(WITNESS_USER, WITNESS_PASSWORD,
                        DatabaseBrokerCredentials.ServiceLogin.Kind.WITNESS)));
    }

    /** Pairs a new device with a random 32-byte secret and returns it. */
    PairedDevice pair() throws SQLException {
        UUID deviceId = UUID.randomUUID();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        UUID ownerId = UUID.randomUUID();
        try (Connection connection = connect(postgres);
                PreparedStatement owner = connection.prepareStatement("insert into owner values (?, ?, now())");
                PreparedStatement insert = connection.prepareStatement(
                        "insert into device (owner_id, device_id, name, credential_hash, paired_at)"
                                + " values (?, ?, 'test sensor', ?, now())")) {
            owner.setObject(1, ownerId);
            owner.setString(2, "owner-of-" + deviceId);
            owner.executeUpdate();
            insert.setObject(1, ownerId);
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
