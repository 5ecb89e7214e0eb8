package org.vitalvault.deploy.broker;

import java.util.Optional;

/**
 * Decides who a connecting MQTT client is from the user name and password of its CONNECT packet.
 *
 * <p>Guarantee: a principal is returned only for a correct user name and password pair, compared
 * in constant time; a wrong pair, an unknown user and an unpaired device all give the same empty
 * answer, so the broker cannot tell a caller which of them it was.
 *
 * <p>Limits: it does not rate-limit guesses (device secrets are random, not chosen by people) and
 * it keeps no session; it is asked once per CONNECT.
 */
public interface BrokerCredentials {

    /**
     * @param username the CONNECT user name, never null
     * @param password the CONNECT password bytes, never null; the caller wipes them afterwards
     * @return the principal, or empty when the pair is not valid
     * @throws CredentialStoreUnavailableException when the answer cannot be known now (the store
     *         is down); the broker then refuses with "server unavailable" so clients retry instead
     *         of believing their credentials are wrong
     */
    Optional<BrokerPrincipal> authenticate(String username, byte[] password);
}
