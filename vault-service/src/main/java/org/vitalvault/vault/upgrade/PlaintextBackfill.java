package org.vitalvault.vault.upgrade;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.vitalvault.vault.attributes.SharedAttributesStore;
import org.vitalvault.vault.auth.SubjectHashes;
import org.vitalvault.vault.device.DeviceNames;

/**
 * Upgrade to V14 (docs/decisions/037): SQL can compute neither an HMAC under the vault's subject
 * key nor an HPKE seal, so rows written before V14 still hold plaintext subjects, consent actors,
 * device names and shared attributes after the migration. At every start this job hashes and seals them and nulls the
 * plaintext: in batches of {@value #BATCH} rows, one transaction each, rows locked FOR UPDATE SKIP
 * LOCKED (several replicas share the work; none waits on another), idempotent (a row without
 * plaintext is never selected again). Once it has run on every deployment, a later migration can
 * drop the plaintext columns. Until a row is done, sign-in also matches its plaintext (Owner,
 * Organisation), so the vault serves while it runs. Logs counts only.
 *
 * <p>Runs after the KEK rotation's start-up job (higher priority number), which may first have to
 * re-wrap the subject key. PostgreSQL keeps the old row versions until VACUUM; the job vacuums the
 * tables it changed, but earlier dumps and backups keep the plaintext (decision 037).
 */
@ApplicationScoped
public class PlaintextBackfill {

    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(PlaintextBackfill.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SubjectHashes hashes;

    @Inject
    DeviceNames names;

    @Inject
    SharedAttributesStore attributes;

    /** Rows changed by one run, per kind. */
    public record Report(int ownerSubjects, int organisationSubjects, int consentActors, int deviceNames,
                         int sharedAttributes) {
        int total() {
            return ownerSubjects + organisationSubjects + consentActors + deviceNames + sharedAttributes;
        }
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        try {
            run();
        } catch (RuntimeException e) {
            // Not fatal: rows not yet done keep working through their plaintext, and the next start
            // resumes. Class name only: a message could quote a row.
            LOG.errorf("V14 backfill stopped (%s); plaintext rows are left for the next start", e.getClass().getName());
        }
    }

    /** Hashes and seals every plaintext left from before V14. */
    public Report run() {
        Report report = new Report(
                untilDone(c -> hashSubjects(c, "owner", "owner_id", "subject", "subject_hash", hashes::owner, false)),
                untilDone(c -> hashSubjects(c, "researcher_org", "org_id", "subject", "subject_hash", hashes::organisation, false)),
                untilDone(c -> hashSubjects(c, "consent_event", "receipt_id", "actor", "actor_hash", hashes::owner, true)),
                untilDone(c -> names.sealPlaintextNames(c, BATCH)),
                untilDone(c -> attributes.sealPlaintext(c, BATCH)));
        if (report.total() > 0) {
            LOG.infof("V14 backfill: hashed %d owner subjects, %d organisation subjects, %d consent actors; sealed %d"
                            + " device names, %d owners' shared attributes", report.ownerSubjects(), report.organisationSubjects(),
                    report.consentActors(), report.deviceNames(), report.sharedAttributes());
            vacuum();
        }
        return report;
    }

    private interface Batch {
        int run(Connection c) throws SQLException;
    }

    private int untilDone(Batch batch) {
        int total = 0;
        int n;
        do {
            n = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return batch.run(c);
                }
            });
            total += n;
        } while (n > 0);
        return total;
    }

    /** One batch of one table: the plaintext column's value → its hash, plaintext nulled. Table and columns are constants. */
    private static int hashSubjects(Connection c, String table, String key, String plain, String hashed,
                                    Function<String, byte[]> hash, boolean appendOnly) throws SQLException {
        if (appendOnly) {
            // consent_event's trigger lets exactly this change through in a transaction that says so (V14).
            try (PreparedStatement ps = c.prepareStatement("select set_config('vitalvault.hashing_actors', 'on', true)")) {
                ps.executeQuery().close();
            }
        }
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + key + ", " + plain + " from " + table + " where " + plain
                + " is not null limit " + BATCH + " for update skip locked");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getObject(1), rs.getString(2)});
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement up = c.prepareStatement("update " + table + " set " + hashed + " = ?, " + plain
                + " = null where " + key + " = ?")) {
            for (Object[] row : rows) {
                up.setBytes(1, hash.apply((String) row[1]));
                up.setObject(2, row[0]);
                up.addBatch();
            }
            up.executeBatch();
        }
        return rows.size();
    }

    private void vacuum() {
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("vacuum owner, researcher_org, consent_event, device, owner_shared_attributes");
        } catch (SQLException e) {
            LOG.warnf("VACUUM after the V14 backfill failed (SQLState %s); autovacuum removes the old row versions later",
                    e.getSQLState());
        }
    }
}
