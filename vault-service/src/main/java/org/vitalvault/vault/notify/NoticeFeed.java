package org.vitalvault.vault.notify;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vitalvault.vault.sealing.OwnerTextSeal;

/**
 * One owner's notification feed as they read it: newest first, texts opened, read or not. Every
 * statement names the owner, so an id of another owner's notice selects and marks nothing.
 *
 * <p>JDBC because the page is cut in SQL (a feed grows by one notice per research query) and
 * {@code notice_id} is a database identity inside a composite key.
 */
@ApplicationScoped
public class NoticeFeed {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OwnerTextSeal seal;

    @Inject
    Clock clock;

    /** One notice as its owner reads it. */
    public record Entry(long id, NoticeKind kind, String text, Instant createdAt, boolean read) {
    }

    /** The owner's notices, newest first: {@code limit} of them after skipping {@code offset}. */
    public List<Entry> page(UUID owner, boolean unreadOnly, int limit, int offset) {
        String sql = "select notice_id, kind, created_at, sealed_text, read_at from owner_notification where owner_id = ?"
                + (unreadOnly ? " and read_at is null" : "") + " order by notice_id desc limit ? offset ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, owner);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong("notice_id"), NoticeKind.valueOf(rs.getString("kind")),
                            seal.open(owner, OwnerTextSeal.Purpose.NOTICE, rs.getBytes("sealed_text")),
                            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("read_at") != null));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading notifications failed", e);
        }
    }

    /** How many of the owner's notices are unread. */
    public long unread(UUID owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from owner_notification where owner_id = ? and read_at is null")) {
            ps.setObject(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting notifications failed", e);
        }
    }

    /**
     * Marks every unread notice of the owner with an id up to {@code upTo} read (ids of notices posted
     * later, or of another owner's, are untouched) and returns how many stay unread.
     */
    public long markRead(UUID owner, long upTo) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update owner_notification set read_at = ? where owner_id = ? and notice_id <= ? and read_at is null")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setObject(2, owner);
            ps.setLong(3, upTo);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("marking notifications read failed", e);
        }
        return unread(owner);
    }
}
