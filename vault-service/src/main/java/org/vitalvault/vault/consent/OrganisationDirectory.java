package org.vitalvault.vault.consent;

import java.util.UUID;

/**
 * Which researcher organisations exist, as consent needs to know it: a grant may only name an
 * organisation that is registered. Implemented where organisations are stored, so that consent
 * does not depend on the researcher feature.
 */
public interface OrganisationDirectory {

    /** Whether {@code organisation} is a registered organisation (pending or approved). */
    boolean exists(UUID organisation);
}
