package org.vitalvault.vault.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A real late failure: while open, any transaction that appended an entry for this owner (or of
 * this deployment kind) fails at COMMIT — a deferred constraint trigger on {@code audit_pending}
 * raises after every statement of the event has run, the way a lost connection or a serialization
 * failure at commit would. What the event wrote, and its log entry, must then both be gone.
 */
public final class CommitFailure implements AutoCloseable {

    private static final String FUNCTION = "test_audit_commit_failure";

    private final DataSource dataSource;

    private CommitFailure(DataSource dataSource, String condition) {
        this.dataSource = dataSource;
        exec("create or replace function " + FUNCTION + "() returns trigger language plpgsql as $$ begin if " + condition
                + " then raise exception 'commit refused by the test'; end if; return null; end $$",
                "drop trigger if exists " + FUNCTION + " on audit_pending",
                "create constraint trigger " + FUNCTION + " after insert on audit_pending deferrable initially deferred"
                        + " for each row execute function " + FUNCTION + "()");
    }

    /** Commits that appended an entry to {@code owner}'s chain fail. */
    public static CommitFailure forOwner(DataSource dataSource, UUID owner) {
        return new CommitFailure(dataSource, "exists (select 1 from audit_owner_entry e where e.entry_id = new.entry_id"
                + " and e.owner_id = '" + owner + "')");
    }

    /** Commits that appended a deployment entry of {@code kind} fail. */
    public static CommitFailure forDeploymentKind(DataSource dataSource, String kind) {
        if (!kind.matches("[A-Z_]+")) {
            throw new IllegalArgumentException(kind);
        }
        return new CommitFailure(dataSource, "exists (select 1 from audit_deployment_entry d where d.entry_id = new.entry_id"
                + " and d.kind = '" + kind + "')");
    }

    @Override
    public void close() {
        exec("drop trigger if exists " + FUNCTION + " on audit_pending", "drop function if exists " + FUNCTION + "()");
    }

    private void exec(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
