package org.vitalvault.vault.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Makes the transaction that writes a chosen row fail when it commits: a deferred constraint trigger
 * on real PostgreSQL, so the failure comes after every statement of the transaction — after the
 * transparency-log append too — exactly like a commit that fails for any reason. Nothing is mocked:
 * the vault's own code runs and its own transaction rolls back. Drop it with {@link #close()}.
 */
public final class FailAtCommit implements AutoCloseable {

    private final DataSource dataSource;
    private final String trigger;
    private final String table;

    private FailAtCommit(DataSource dataSource, String trigger, String table) {
        this.dataSource = dataSource;
        this.trigger = trigger;
        this.table = table;
    }

    /**
     * Fails at commit every transaction that inserts or updates a row of {@code table} for which
     * {@code condition} (SQL over {@code NEW}, written by the test) holds.
     */
    public static FailAtCommit whenWritten(DataSource dataSource, String table, String condition) {
        String trigger = "test_fail_at_commit_" + UUID.randomUUID().toString().replace("-", "");
        // The condition is tested inside the function, not in the trigger's WHEN clause, because it may
        // hold a subquery (which WHEN refuses); at commit it sees the transaction's own rows.
        execute(dataSource, "create function " + trigger + "() returns trigger language plpgsql as $$"
                + " begin if " + condition + " then raise exception 'failing this transaction at commit (test)';"
                + " end if; return null; end $$");
        execute(dataSource, "create constraint trigger " + trigger + " after insert or update on " + table
                + " deferrable initially deferred for each row execute function " + trigger + "()");
        return new FailAtCommit(dataSource, trigger, table);
    }

    /** Fails at commit every transaction that appends an entry to {@code owner}'s chain of the log. */
    public static FailAtCommit forOwnerEntry(DataSource dataSource, UUID owner) {
        return whenWritten(dataSource, "audit_pending", "exists (select 1 from audit_owner_entry e"
                + " where e.entry_id = NEW.entry_id and e.owner_id = '" + owner + "')");
    }

    /** Fails at commit every transaction that appends a deployment entry of {@code kind}. */
    public static FailAtCommit forDeploymentEntry(DataSource dataSource, String kind) {
        if (!kind.matches("[A-Z_]+")) {
            throw new IllegalArgumentException(kind);
        }
        return whenWritten(dataSource, "audit_pending", "exists (select 1 from audit_deployment_entry d"
                + " where d.entry_id = NEW.entry_id and d.kind = '" + kind + "')");
    }

    @Override
    public void close() {
        execute(dataSource, "drop trigger if exists " + trigger + " on " + table);
        execute(dataSource, "drop function if exists " + trigger + "()");
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
