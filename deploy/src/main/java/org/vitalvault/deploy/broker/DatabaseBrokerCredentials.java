package org.vitalvault.deploy.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * {@link BrokerCredentials} backed by the vault's view {@code broker_device_credential} (paired
 * devices' credential hashes, migration V13; the role {@code vitalvault_broker} may read that and
 * nothing else, docs/decisions/036), plus one service user for the sensor gateway.
 *
 * <ul>
 *   <li>The service user is recognised by name; its password is compared as SHA-256 digests with
 *       {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the
 *       password's length or content.</li>
 *   <li>Any other user name must be a device id (canonical UUID). The device must be paired
 *       ({@code unpaired_at is null}) and SHA-256 of the password must equal its
 *       {@code credential_hash}, again compared in constant time. An unsalted fast hash is enough
 *       here only because device secrets are random 256-bit values issued at pairing, never
 *       passwords chosen by people; the pairing side owns that guarantee.</li>
 * </ul>
 *
 * <p>Connections: one short-lived JDBC connection per authentication, with connect and socket
 * time-outs. CONNECTs are rare (a sensor reconnects after sleep or network loss), and a fresh
 * connection is what makes this survive a PostgreSQL restart with no reconnect logic: the next
 * CONNECT simply opens a new one. The view is defined by the sealed-store module's migrations.
 *
 * <p>Never logs or puts into an exception message a password, a hash or the database password.
 */
public final class DatabaseBrokerCredentials implements BrokerCredentials {

    private static final String DEVICE_CREDENTIAL_SQL =
            "select credential_hash from broker_device_credential where device_id = ?";
    private static final String CONNECT_TIMEOUT_SECONDS = "5";
    private static final String SOCKET_TIMEOUT_SECONDS = "10";

    private final String jdbcUrl;
    private final Properties connectionProperties;
    private final String serviceUser;
    private final byte[] servicePasswordDigest;

    /**
     * @param jdbcUrl         the vault database, for example {@code jdbc:postgresql://localhost:5432/postgres}
     * @param dbUser          database user allowed to read {@code broker_device_credential}
     * @param dbPassword      its password (empty for a trust-authenticated local cluster)
     * @param serviceUser     the sensor gateway's MQTT user name; must not look like a device id
     * @param servicePassword the sensor gateway's MQTT password; only its digest is kept
     */
    public DatabaseBrokerCredentials(
            String jdbcUrl, String dbUser, String dbPassword, String serviceUser, byte[] servicePassword) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dbUser, "dbUser");
        Objects.requireNonNull(dbPassword, "dbPassword");
        Objects.requireNonNull(serviceUser, "serviceUser");
        Objects.requireNonNull(servicePassword, "servicePassword");
        if (serviceUser.isBlank() || BrokerPrincipal.Device.isCanonicalUuid(serviceUser)) {
            throw new IllegalArgumentException(
                    "serviceUser must be a non-blank name that is not a UUID (UUIDs are device ids)");
        }
        if (servicePassword.length == 0) {
            throw new IllegalArgumentException("servicePassword must not be empty");
        }
        this.serviceUser = serviceUser;
        this.servicePasswordDigest = sha256(servicePassword);
        this.connectionProperties = new Properties();
        connectionProperties.setProperty("user", dbUser);
        connectionProperties.setProperty("password", dbPassword);
        connectionProperties.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        connectionProperties.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        connectionProperties.setProperty("ApplicationName", "vitalvault-broker-auth");
    }

    @Override
    public Optional<BrokerPrincipal> authenticate(String username, byte[] password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        byte[] presentedDigest = sha256(password);
        if (username.equals(serviceUser)) {
            return MessageDigest.isEqual(servicePasswordDigest, presentedDigest)
                    ? Optional.of(new BrokerPrincipal.Service(serviceUser))
                    : Optional.empty();
        }
        if (!BrokerPrincipal.Device.isCanonicalUuid(username)) {
            return Optional.empty();
        }
        Optional<byte[]> storedDigest = pairedDeviceCredentialHash(UUID.fromString(username));
        return storedDigest.isPresent() && MessageDigest.isEqual(storedDigest.get(), presentedDigest)
                ? Optional.of(new BrokerPrincipal.Device(username))
                : Optional.empty();
    }

    private Optional<byte[]> pairedDeviceCredentialHash(UUID deviceId) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, connectionProperties);
                PreparedStatement query = connection.prepareStatement(DEVICE_CREDENTIAL_SQL)) {
            query.setObject(1, deviceId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            // SQLState only: a driver message could echo connection details.
            throw new CredentialStoreUnavailableException(
                    "device credentials could not be read (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // No URL: a JDBC URL may carry a password parameter.
        return "DatabaseBrokerCredentials[serviceUser=" + serviceUser + "]";
    }
}
