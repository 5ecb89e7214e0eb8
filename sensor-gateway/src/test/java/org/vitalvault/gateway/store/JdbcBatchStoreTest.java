package org.vitalvault.gateway.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitalvault.gateway.ingest.StoreRejectedException;
import org.vitalvault.store.Migrations;
import org.vitalvault.store.NewEpoch;
import org.vitalvault.store.SealedBatch;

/** The gateway's writes against a real PostgreSQL holding the vault's schema (its Flyway migrations, from the sealed-store module's classpath, in order). */
class JdbcBatchStoreTest {

    /** A stored_at with microseconds, which timestamptz keeps: the COPY encoding must not round it. */
    private static final Instant NOW = Instant.parse("2026-11-27T08:15:30.123456Z");

    private static EmbeddedPostgres postgres;
    /** Logged in as the gateway is in production: a member of vitalvault_gateway (migration V13). */
    private final JdbcBatchStore store = new JdbcBatchStore(postgres.getDatabase("gateway", "postgres"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private UUID owner;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            Migrations.applyAll(c);
            c.createStatement().execute("create role gateway login in role vitalvault_gateway");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void registerOwner() throws SQLException {
        owner = UUID.randomUUID();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into owner values (?, ?, now())")) {
                ps.setObject(1, owner);
                ps.setString(2, "subject-" + owner);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into owner_key values (?, 1, '\\x01'::bytea, '\\x02'::bytea, 'kek', now(), null)")) {
                ps.setObject(1, owner);
                ps.executeUpdate();
            }
        }
    }

    @Test
    void everyColumnReadsBackExactlyAsWritten() throws Exception {
        UUID epoch = UUID.randomUUID();
        UUID batch = UUID.randomUUID();
        List<SealedBatch> rows = List.of(
                row(batch, epoch, "heart_rate", "2026-11-27T07:00:00Z", 3, new byte[] {1, 2, 3, (byte) 0xFF}),
                row(batch, epoch, "glucose_mg_dl", "2026-11-27T08:00:00Z", 1, new byte[0]),
                row(batch, epoch, "heart_rate", "1999-12-31T23:00:00Z", 1000, new byte[300]));

        store.write(List.of(new NewEpoch(owner, epoch, 1, new byte[] {9, 8, 7})), rows);

        List<SealedBatch> stored = readRows();
        assertEquals(rows.size(), stored.size());
        for (int i = 0; i < rows.size(); i++) {
            SealedBatch want = rows.get(i);
            SealedBatch got = stored.stream().filter(s -> s.metric().equals(want.metric()) && s.bucket().equals(want.bucket()))
                    .findFirst().orElseThrow(() -> new AssertionError("row missing: " + want.metric() + " " + want.bucket()));
            assertEquals(want.ownerId(), got.ownerId());
            assertEquals(want.batchId(), got.batchId());
            assertEquals(want.epochId(), got.epochId());
            assertEquals(want.readingCount(), got.readingCount());
            assertArrayEquals(want.sealed(), got.sealed());
        }
        assertEquals(List.of(NOW, NOW, NOW), storedAt(), "stored_at to the microsecond");
        assertEquals(1, count("select count(*) from seal_epoch where owner_id = '" + owner + "'"));
    }

    @Test
    void aRetryAfterAnUnansweredCommitSkipsWhatIsStoredAndAddsTheRest() throws Exception {
        UUID epoch = UUID.randomUUID();
        UUID batch = UUID.randomUUID();
        SealedBatch first = row(batch, epoch, "heart_rate", "2026-11-27T07:00:00Z", 2, new byte[] {1});
        SealedBatch second = row(batch, epoch, "spo2", "2026-11-27T07:00:00Z", 1, new byte[] {2});
        List<NewEpoch> epochs = List.of(new NewEpoch(owner, epoch, 1, new byte[] {9}));
        store.write(epochs, List.of(first));

        // The same batch again, as the committer sends it when the first commit's answer was lost.
        store.write(epochs, List.of(first, second));

        assertEquals(2, readRows().size());
        assertEquals(1, count("select count(*) from seal_epoch where owner_id = '" + owner + "'"));
    }

    @Test
    void aRowPostgresqlRefusesIsRejectedNotRetried() {
        UUID epoch = UUID.randomUUID();
        // text cannot hold NUL: PostgreSQL refuses the row itself (SQLState class 22).
        SealedBatch bad = row(UUID.randomUUID(), epoch, "heart\u0000rate", "2026-11-27T07:00:00Z", 1, new byte[] {1});

        assertThrows(StoreRejectedException.class,
                () -> store.write(List.of(new NewEpoch(owner, epoch, 1, new byte[] {9})), List.of(bad)));
    }

    @Test
    void connectionLossShutdownTimeoutsDeadlocksAndMisconfigurationAreRetried() {
        for (String state : new String[] {null, "08006", "08001", "57P01", "57014", "53300", "40001", "40P01", "55P03",
            "42P01", "42501", "XX000"}) {
            assertTrue(JdbcBatchStore.isTransient(state), String.valueOf(state));
        }
    }

    @Test
    void rowsPostgresqlRefusesAreNotRetriedForever() {
        for (String state : new String[] {"23503", "23505", "22001", "22P02"}) {
            assertFalse(JdbcBatchStore.isTransient(state), state);
        }
    }

    private SealedBatch row(UUID batch, UUID epoch, String metric, String bucket, int count, byte[] sealed) {
        return new SealedBatch(owner, metric, Instant.parse(bucket), batch, epoch, count, sealed);
    }

    private List<SealedBatch> readRows() throws SQLException {
        List<SealedBatch> rows = new ArrayList<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement ps = c.prepareStatement("select owner_id, metric, bucket, batch_id, epoch_id, reading_count,"
                     + " sealed from reading_batch where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SealedBatch(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), rs.getInt(6), rs.getBytes(7)));
                }
            }
        }
        return rows;
    }

    private List<Instant> storedAt() throws SQLException {
        List<Instant> at = new ArrayList<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement ps = c.prepareStatement("select stored_at from reading_batch where owner_id = ?")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return at;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
