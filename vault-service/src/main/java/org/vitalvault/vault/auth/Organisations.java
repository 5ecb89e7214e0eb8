package org.vitalvault.vault.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * Where organisations are registered. Declared here and implemented by the researcher feature's
 * store, so that resolving a caller needs no feature package (and the feature packages may all
 * depend on this one).
 */
public interface Organisations {

    /** The organisation with this id, approved or not; empty when there is none. */
    Optional<Organisation> find(UUID id);
}
