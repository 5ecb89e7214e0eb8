package org.vitalvault.deploy.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every CONNECT against {@link BrokerCredentials} and installs the principal's topic
 * permissions ({@link BrokerTopicPermissions}) with default behaviour DENY.
 *
 * <p>The credential check may block on the database, so it runs on the extension executor and the
 * CONNECT is answered asynchronously; a check that does not finish in time is refused as "server
 * unavailable", never allowed.
 *
 * <p>A device must connect with its device id as client id. Otherwise a device could pick the
 * gateway's client id, take over the gateway's persistent session and receive every device's
 * readings.
 */
final class BrokerAuthenticator implements SimpleAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAuthenticator.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    private final BrokerCredentials credentials;
    private final ExecutorService executor;

    BrokerAuthenticator(BrokerCredentials credentials, ExecutorService executor) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        Optional<String> username = connect.getUserName();
        Optional<ByteBuffer> password = connect.getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            output.failAuthentication(
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name and password required");
            return;
        }
        byte[] passwordBytes = copy(password.get());
        String clientId = input.getClientInformation().getClientId();
        Async<SimpleAuthOutput> async = output.async(
                CHECK_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "authentication timed out");
        executor.execute(() -> {
            try {
                decide(username.get(), passwordBytes, clientId, output);
            } finally {
                Arrays.fill(passwordBytes, (byte) 0);
                async.resume();
            }
        });
    }

    private void decide(String username, byte[] password, String clientId, SimpleAuthOutput output) {
        Optional<BrokerPrincipal> principal;
        try {
            principal = credentials.authenticate(username, password);
        } catch (CredentialStoreUnavailableException e) {
            LOG.warn("Refused client {} for now: {}", clientId, e.getMessage());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "try again later");
            return;
        } catch (RuntimeException e) {
            LOG.error("Refused client {}: credential check failed ({})", clientId, e.getClass().getName());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "try again later");
            return;
        }
        if (principal.isEmpty()) {
            LOG.debug("Refused client {}: bad user name or password", clientId);
            output.failAuthentication(
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        if (principal.get() instanceof BrokerPrincipal.Device device
                && !device.deviceId().equals(clientId)) {
            output.failAuthentication(
                    ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "a device's client id must be its device id");
            return;
        }
        ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
        permissions.clear();
        permissions.addAll(BrokerTopicPermissions.of(principal.get()));
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static byte[] copy(ByteBuffer buffer) {
        ByteBuffer view = buffer.asReadOnlyBuffer();
        view.rewind();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
