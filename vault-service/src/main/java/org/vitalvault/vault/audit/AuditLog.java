package org.vitalvault.vault.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vitalvault.store.audit.AuditAppender;
import org.vitalvault.tlog.OwnerEntryTemplate;
import org.vitalvault.vault.config.VaultConfig;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * Appends to the transparency log in the caller's transaction (docs/decisions/050): call it inside
 * the {@code @Transactional} method that performs the event, after the event's own writes, so the
 * entry commits exactly when the event does. A rolled-back event leaves no entry; a committed one
 * always has one.
 *
 * <p>An entry is UTF-8 JSON, the bytes the owner receives and the commitment covers:
 * {@code {"v":1,"log":origin,"kind":…,"at":…,"owner":…,"seq":…,"prev":…,"details":{…}}}
 * ({@code owner}, {@code seq}, {@code prev} only for owner kinds; {@code prev} is the base64
 * commitment of the owner's previous entry, null for the first). Details are the event's facts —
 * ids, terms, counts — never a health value, and for deployment kinds never an owner id.
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    VaultConfig config;

    /** Appends one entry to {@code owner}'s chain. */
    public void owner(UUID owner, AuditKind kind, Map<String, ?> details) {
        owners(List.of(owner), kind, details);
    }

    /** Appends one entry with the same details to each owner's chain (constant statements for any number). */
    public void owners(Collection<UUID> owners, AuditKind kind, Map<String, ?> details) {
        if (kind.scope() != AuditKind.Scope.OWNER) {
            throw new IllegalArgumentException(kind + " is not about one owner");
        }
        if (owners.isEmpty()) {
            return;
        }
        Instant at = clock.instant();
        OwnerEntryTemplate template = new OwnerEntryTemplate(json(kind, head(kind, at)), json(kind, details));
        try (Connection c = dataSource.getConnection()) {
            AuditAppender.appendForOwners(c, owners, template::entry,
                    (ids, plains) -> seal.sealBytesEach(ids, OwnerTextSeal.Purpose.AUDIT_ENTRY, plains));
        } catch (SQLException e) {
            throw new IllegalStateException("appending " + kind + " to the audit log failed", e);
        }
    }

    /** Appends one entry about no single owner; {@code details} must name no owner. */
    public void deployment(AuditKind kind, Map<String, ?> details) {
        if (kind.scope() != AuditKind.Scope.DEPLOYMENT) {
            throw new IllegalArgumentException(kind + " belongs to an owner's chain");
        }
        Instant at = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> entry = head(kind, at);
            entry.put("details", details);
            AuditAppender.appendDeployment(c, kind.name(), at, json(kind, entry));
        } catch (SQLException e) {
            throw new IllegalStateException("appending " + kind + " to the audit log failed", e);
        }
    }

    /** The fields every entry starts with; an owner entry continues with owner, seq, prev (OwnerEntryTemplate). */
    private Map<String, Object> head(AuditKind kind, Instant at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("v", 1);
        e.put("log", config.audit().origin());
        e.put("kind", kind.name());
        e.put("at", at.toString());
        return e;
    }

    private byte[] json(AuditKind kind, Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("audit details of " + kind + " are not JSON", ex);
        }
    }
}
