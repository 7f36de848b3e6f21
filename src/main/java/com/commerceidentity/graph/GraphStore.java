package com.commerceidentity.graph;

import com.commerceidentity.feed.FeedEvent;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Surface;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Plain JDBC persistence of the graph and the feed. The SQL is portable between H2 and PostgreSQL (no
 * vendor upserts: the graph knows whether a row is new). Set lookups bind one array parameter
 * ({@code = ANY(?)}) so a whole batch costs one round trip per query.
 */
public class GraphStore {

    private static final String ACCOUNT_COLUMNS = "account_key, identity_id, platform, store, kind, source_id,"
            + " email_raw, email_norm, phone_raw, phone_e164, first_name, last_name, status, created_at,"
            + " updated_at, deleted_at, version, surface, link_rule, link_value, linked_at, input_ref";

    private final DataSource dataSource;

    public GraphStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    // ---- reads used while resolving a batch -------------------------------------------------------------

    public List<LinkedAccount> accountsByKeys(Connection c, Collection<String> keys) throws SQLException {
        return selectAccounts(c, "account_key = ANY(?)", keys);
    }

    public List<LinkedAccount> accountsByEmails(Connection c, Collection<String> emails) throws SQLException {
        return selectAccounts(c, "email_norm = ANY(?)", emails);
    }

    public List<LinkedAccount> accountsByPhones(Connection c, Collection<String> phones) throws SQLException {
        return selectAccounts(c, "phone_e164 = ANY(?)", phones);
    }

    public List<LinkedAccount> accountsByIdentities(Connection c, Collection<String> ids) throws SQLException {
        return selectAccounts(c, "identity_id = ANY(?)", ids);
    }

    public Map<String, IdentityRow> identities(Connection c, Collection<String> ids) throws SQLException {
        Map<String, IdentityRow> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, merged_into, deleted, created_at, updated_at FROM identities WHERE id = ANY(?)")) {
            ps.setArray(1, array(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    IdentityRow row = identity(rs);
                    out.put(row.id(), row);
                }
            }
        }
        return out;
    }

    private List<LinkedAccount> selectAccounts(Connection c, String where, Collection<String> values)
            throws SQLException {
        List<LinkedAccount> out = new ArrayList<>();
        if (values.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE " + where)) {
            ps.setArray(1, array(c, values));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(account(rs));
                }
            }
        }
        return out;
    }

    private static Array array(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("VARCHAR", values.toArray(new String[0]));
    }

    // ---- writes of one resolved batch (caller owns the transaction) -------------------------------------

    public void insertAccounts(Connection c, Collection<LinkedAccount> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (" + ACCOUNT_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (LinkedAccount row : rows) {
                bindAccount(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void updateAccounts(Connection c, Collection<LinkedAccount> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET account_key = ?, identity_id = ?,"
                + " platform = ?, store = ?, kind = ?, source_id = ?, email_raw = ?, email_norm = ?, phone_raw = ?,"
                + " phone_e164 = ?, first_name = ?, last_name = ?, status = ?, created_at = ?, updated_at = ?,"
                + " deleted_at = ?, version = ?, surface = ?, link_rule = ?, link_value = ?, linked_at = ?,"
                + " input_ref = ? WHERE account_key = ?")) {
            for (LinkedAccount row : rows) {
                bindAccount(ps, row);
                ps.setString(23, row.key());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void insertIdentities(Connection c, Collection<IdentityRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identities (id, merged_into, deleted,"
                + " created_at, updated_at) VALUES (?,?,?,?,?)")) {
            for (IdentityRow row : rows) {
                ps.setString(1, row.id());
                ps.setString(2, row.mergedInto());
                ps.setBoolean(3, row.deleted());
                setInstant(ps, 4, row.createdAt());
                setInstant(ps, 5, row.updatedAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void updateIdentities(Connection c, Collection<IdentityRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE identities SET merged_into = ?, deleted = ?, updated_at = ? WHERE id = ?")) {
            for (IdentityRow row : rows) {
                ps.setString(1, row.mergedInto());
                ps.setBoolean(2, row.deleted());
                setInstant(ps, 3, row.updatedAt());
                ps.setString(4, row.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void insertEvents(Connection c, Collection<FeedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feed_events (seq, event_type, identity_id,"
                + " account_key, occurred_at, payload) VALUES (?,?,?,?,?,?)")) {
            for (FeedEvent e : events) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.type());
                ps.setString(3, e.identityId());
                ps.setString(4, e.accountKey());
                setInstant(ps, 5, e.occurredAt());
                ps.setString(6, e.json());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---- reads for the API and the feed -----------------------------------------------------------------

    public long maxSeq() throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM feed_events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Events with seq greater than {@code after}, oldest first, at most {@code limit}. */
    public List<FeedEvent> eventsAfter(long after, int limit) throws SQLException {
        List<FeedEvent> out = new ArrayList<>();
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, event_type, identity_id, account_key,"
                     + " occurred_at, payload FROM feed_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FeedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs, 5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** Streams every event after {@code after} in pages, so a large catch-up never sits in memory at once. */
    public void forEachEventAfter(long after, int pageSize, Consumer<List<FeedEvent>> page) throws SQLException {
        long cursor = after;
        while (true) {
            List<FeedEvent> events = eventsAfter(cursor, pageSize);
            if (events.isEmpty()) {
                return;
            }
            page.accept(events);
            cursor = events.get(events.size() - 1).seq();
        }
    }

    public IdentityRow identity(String id) throws SQLException {
        try (Connection c = connection()) {
            return identities(c, List.of(id)).get(id);
        }
    }

    public List<LinkedAccount> members(String identityId) throws SQLException {
        try (Connection c = connection()) {
            return accountsByIdentities(c, List.of(identityId));
        }
    }

    public List<String> identityIdsByEmail(String normalizedEmail) throws SQLException {
        try (Connection c = connection()) {
            return accountsByEmails(c, List.of(normalizedEmail)).stream()
                    .map(LinkedAccount::identityId).distinct().sorted().toList();
        }
    }

    public Map<String, Long> counts() throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = connection()) {
            out.put("accounts", count(c, "SELECT COUNT(*) FROM accounts"));
            out.put("identities", count(c, "SELECT COUNT(*) FROM identities WHERE merged_into IS NULL AND NOT deleted"));
            out.put("events", count(c, "SELECT COUNT(*) FROM feed_events"));
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- row mapping ------------------------------------------------------------------------------------

    private static void bindAccount(PreparedStatement ps, LinkedAccount row) throws SQLException {
        Account a = row.account();
        AccountKey k = a.key();
        ps.setString(1, k.toString());
        ps.setString(2, row.identityId());
        ps.setString(3, k.platform().id());
        ps.setString(4, k.store());
        ps.setString(5, k.kind().id());
        ps.setString(6, k.sourceId());
        ps.setString(7, a.emailRaw());
        ps.setString(8, a.email());
        ps.setString(9, a.phoneRaw());
        ps.setString(10, a.phone());
        ps.setString(11, a.firstName());
        ps.setString(12, a.lastName());
        ps.setString(13, a.status().id());
        setInstant(ps, 14, a.createdAt());
        setInstant(ps, 15, a.updatedAt());
        setInstant(ps, 16, a.deletedAt());
        setInstant(ps, 17, a.version());
        ps.setString(18, a.surface().id());
        ps.setString(19, row.linkRule());
        ps.setString(20, row.linkValue());
        setInstant(ps, 21, row.linkedAt());
        ps.setString(22, row.inputRef());
    }

    private static LinkedAccount account(ResultSet rs) throws SQLException {
        AccountKey key = AccountKey.parse(rs.getString(1));
        Account a = new Account(key, rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), AccountStatus.of(rs.getString(13)), instant(rs, 14),
                instant(rs, 15), instant(rs, 16), instant(rs, 17), Surface.of(rs.getString(18)));
        return new LinkedAccount(a, rs.getString(2), rs.getString(19), rs.getString(20), instant(rs, 21),
                rs.getString(22));
    }

    private static IdentityRow identity(ResultSet rs) throws SQLException {
        return new IdentityRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), instant(rs, 4), instant(rs, 5));
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, v.atOffset(java.time.ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        java.time.OffsetDateTime v = rs.getObject(i, java.time.OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }

}
