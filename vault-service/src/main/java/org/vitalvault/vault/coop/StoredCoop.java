package org.vitalvault.vault.coop;

import java.time.Instant;
import java.util.UUID;
import org.vitalvault.policy.consent.CoopTerms;

/**
 * A co-op as stored: its name and standing terms, which never change (members adopted exactly these).
 *
 * @param id        the co-op's id
 * @param name      its display name
 * @param terms     the standing terms, the grant template members adopt
 * @param createdAt when it was founded
 */
public record StoredCoop(UUID id, String name, CoopTerms terms, Instant createdAt) {
}
