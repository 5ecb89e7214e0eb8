package org.vitalvault.vault.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * {@link OwnerNotices#postAll}: the statement a research query runs for every owner it included,
 * inside its release transaction. One row per owner, each text sealed to its own owner; nothing when
 * the caller's transaction rolls back. Logs how long thousands of owners take (the query path's
 * cost; decision 045 records the figure) without asserting on it.
 */
@QuarkusTest
class OwnerNoticesTest {

    private static final Logger LOG = Logger.getLogger(OwnerNoticesTest.class);
    private static final int OWNERS = 5000;

    @Inject
    OwnerNotices notices;

    @Inject
    NoticeFeed feed;

    @Inject
    OwnerTextSeal seal;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void postingToThousandsOfOwnersWritesOneSealedNoticeEachInTheCallersTransaction() throws Exception {
        List<UUID> owners = owners(OWNERS);
        Notice notice = new Notice(NoticeKind.DATA_USE,
                "Univ. Test Cardiology used your heart rate (daily aggregates) for healthcare research, at a privacy cost of ε 0.5.");
        // Warm-up on other owners (JIT, statement preparation), then the measured post.
        List<UUID> warm = owners(200);
        QuarkusTransaction.requiringNew().run(() -> notices.postAll(warm, notice));
        long t0 = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> notices.postAll(owners, notice));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.infof("postAll to %d owners: %d ms", OWNERS, ms);

        assertEquals(OWNERS, count("select count(*) from owner_notification where owner_id = any(?)", owners));
        for (UUID o : List.of(owners.get(0), owners.get(OWNERS / 2), owners.get(OWNERS - 1))) {
            List<NoticeFeed.Entry> page = feed.page(o, false, 10, 0);
            assertEquals(1, page.size());
            assertEquals(notice.text(), page.get(0).text());
        }
    }

    @Test
    void eachOwnersCopyOpensForThatOwnerOnlyAndUnderItsPurposeOnly() {
        List<UUID> owners = List.of(UUID.randomUUID(), UUID.randomUUID());
        byte[][] sealed = seal.sealEach(owners, OwnerTextSeal.Purpose.NOTICE, "Your data was exported (CSV).");
        assertEquals("Your data was exported (CSV).", seal.open(owners.get(1), OwnerTextSeal.Purpose.NOTICE, sealed[1]));
        assertThrows(IllegalStateException.class, () -> seal.open(owners.get(0), OwnerTextSeal.Purpose.NOTICE, sealed[1]));
        assertThrows(IllegalStateException.class, () -> seal.open(owners.get(1), OwnerTextSeal.Purpose.ACCESS_DETAIL, sealed[1]));
        assertFalse(java.util.Arrays.equals(sealed[0], sealed[1]), "a nonce of its own per copy");
    }

    @Test
    void aRolledBackCallerPostsNothing() throws Exception {
        List<UUID> owners = owners(3);
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            notices.postAll(owners, new Notice(NoticeKind.DATA_USE, "rolled back"));
            throw new IllegalStateException("the event failed");
        }));
        assertEquals(0, count("select count(*) from owner_notification where owner_id = any(?)", owners));
    }

    /** Owner rows straight into the table: the API would take minutes for thousands. */
    private List<UUID> owners(int n) throws Exception {
        SecureRandom random = new SecureRandom();
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into owner (owner_id, subject_hash, created_at) values (?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                byte[] hash = new byte[32];
                random.nextBytes(hash);
                ps.setObject(1, id);
                ps.setBytes(2, hash);
                ps.setTimestamp(3, Timestamp.from(Instant.now()));
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        return ids;
    }

    private long count(String sql, List<UUID> owners) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("uuid", owners.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
