package org.vitalvault.deploy.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * {@link BrokerCredentials} backed by the vault's view {@code broker_device_credential} (paired
 * devices' credential hashes, migration V13; the role {@code vitalvault_broker} may read that and
 * nothing else, docs/decisions/036), plus named service users ({@link ServiceLogin}): the sensor
 * gateway, the vault's audit checkpoint publisher, witnesses.
 *
 * <ul>
 *   <li>A service user is recognised by name; its password is compared as SHA-256 digests with
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
    private final Map<String, Login> logins;

    /**
     * A user the broker knows by name rather than from the device table: the gateway, the vault's
     * audit publisher, a witness.
     *
     * @param user     its MQTT user name; must not look like a device id
     * @param password its password; only its digest is kept
     * @param kind     which principal it becomes
     */
    public record ServiceLogin(String user, byte[] password, Kind kind) {
        /** The kinds of principal a named user can be. */
        public enum Kind { GATEWAY, AUDIT_PUBLISHER, WITNESS }

        public ServiceLogin {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(kind, "kind");
            if (user.isBlank() || BrokerPrincipal.Device.isCanonicalUuid(user)) {
                throw new IllegalArgumentException(
                        "a service user must be a non-blank name that is not a UUID (UUIDs are device ids)");
            }
            if (password.length == 0) {
                throw new IllegalArgumentException("the password of " + user + " must not be empty");
            }
        }

        @Override
        public String toString() {
            return "ServiceLogin[" + user + ", " + kind + "]";
        }

        BrokerPrincipal principal() {
            return switch (kind) {
                case GATEWAY -> new BrokerPrincipal.Service(user);
                case AUDIT_PUBLISHER -> new BrokerPrincipal.AuditPublisher(user);
                case WITNESS -> new BrokerPrincipal.Witness(user);
            };
        }
    }

    private record Login(BrokerPrincipal principal, byte[] passwordDigest) {
    }

    /**
     * @param jdbcUrl         the vault database, for example {@code jdbc:postgresql://localhost:5432/postgres}
     * @param dbUser          database user allowed to read {@code broker_device_credential}
     * @param dbPassword      its password (empty for a trust-authenticated local cluster)
     * @param serviceUser     the sensor gateway's MQTT user name; must not look like a device id
     * @param servicePassword the sensor gateway's MQTT password; only its digest is kept
     */
    public DatabaseBrokerCredentials(
            String jdbcUrl, String dbUser, String dbPassword, String serviceUser, byte[] servicePassword) {
        this(jdbcUrl, dbUser, dbPassword, List.of(new ServiceLogin(serviceUser, servicePassword, ServiceLogin.Kind.GATEWAY)));
    }

    /**
     * @param jdbcUrl  the vault database, for example {@code jdbc:postgresql://localhost:5432/postgres}
     * @param dbUser   database user allowed to read {@code broker_device_credential}
     * @param dbPassword its password (empty for a trust-authenticated local cluster)
     * @param services the named users (gateway, audit publisher, witnesses), each name once
     */
    public DatabaseBrokerCredentials(String jdbcUrl, String dbUser, String dbPassword, List<ServiceLogin> services) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dbUser, "dbUser");
        Objects.requireNonNull(dbPassword, "dbPassword");
        Map<String, Login> named = new LinkedHashMap<>();
        for (ServiceLogin login : services) {
            if (named.put(login.user(), new Login(login.principal(), sha256(login.password()))) != null) {
                throw new IllegalArgumentException("service user " + login.user() + " is given twice");
            }
        }
        this.logins = Map.copyOf(named);
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
        Login named = logins.get(username);
        if (named != null) {
            return MessageDigest.isEqual(named.passwordDigest(), presentedDigest)
                    ? Optional.of(named.principal())
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
        return "DatabaseBrokerCredentials[serviceUsers=" + logins.keySet() + "]";
    }
}
