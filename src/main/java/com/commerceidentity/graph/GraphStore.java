package com.commerceidentity.graph;

import com.commerceidentity.model.Access;
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
import javax.sql.DataSource;

/**
 * Plain JDBC persistence of the graph's rows: accounts and identities (the feed's events are in
 * {@link FeedEventLog}). The SQL is portable between H2 and PostgreSQL (no vendor upserts: the graph knows
 * whether a row is new). Set lookups bind one array parameter ({@code = ANY(?)}) so a whole batch costs one
 * round trip per query.
 */
public class GraphStore {

    /** The key's parts (platform, store, kind, source id) are not stored apart: the key text holds them all. */
    private static final String ACCOUNT_COLUMNS = "account_key, identity_id, email_raw, email_norm, phone_raw,"
            + " phone_e164, first_name, last_name, status, created_at, updated_at, deleted_at, version, surface,"
            + " link_rule, link_value, linked_at, input_ref, access_type, access_owner, access_roles, access_state,"
            + " access_tags, access_group";

    private static final int ANY_CHUNK = 64;

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

    /** Accounts whose key starts with {@code prefix} ({@code platform:store:kind:}) and are not deleted. */
    public List<LinkedAccount> activeAccountsByPrefix(String prefix) throws SQLException {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        List<LinkedAccount> out = new java.util.ArrayList<>();
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS
                     + " FROM accounts WHERE account_key LIKE ? ESCAPE '\\'")) {
            ps.setString(1, escaped + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LinkedAccount a = account(rs);
                    if (!a.account().isDeleted()) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
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
        try (PreparedStatement ps = plannedForItsValues(c.prepareStatement(
                "SELECT id, merged_into, deleted, created_at, updated_at FROM identities WHERE id = ANY(?)"))) {
            for (List<String> chunk : chunks(c, ids)) {
                ps.setArray(1, array(c, chunk));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        IdentityRow row = identity(rs);
                        out.put(row.id(), row);
                    }
                }
            }
        }
        return out;
    }

    /**
     * On PostgreSQL, a look-up of a batch's keys is planned for the keys it is given and the table as it is, every
     * time: the driver sends it as an unnamed statement instead of one the server keeps a plan for. A kept plan was
     * made once, and the one made while the tables were nearly empty (a fresh database) is a sequential scan
     * comparing every row with every key: 0.3-0.9 s per look-up of 1,000 keys at 60,000 accounts. Planning costs
     * about 10 ms per look-up of 1,000 keys. Only the look-ups: the batch's inserts keep their kept plans, which
     * cannot go wrong that way, and planning a 128-row insert at each execution cost more than executing it
     * (4 ms per 128 accounts, PgBench DropBenchmark with every statement timed).
     */
    static PreparedStatement plannedForItsValues(PreparedStatement ps) throws SQLException {
        if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        }
        return ps;
    }

    private List<LinkedAccount> selectAccounts(Connection c, String where, Collection<String> values)
            throws SQLException {
        List<LinkedAccount> out = new ArrayList<>();
        if (values.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = plannedForItsValues(c.prepareStatement("SELECT " + ACCOUNT_COLUMNS
                + " FROM accounts WHERE " + where))) {
            for (List<String> chunk : chunks(c, values)) {
                ps.setArray(1, array(c, chunk));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(account(rs));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Splits the values of an {@code = ANY(?)} parameter into arrays of at most {@link #ANY_CHUNK}. H2 finds the
     * rows through the index but then re-checks {@code = ANY(?)} on each row by scanning the whole array, so one
     * array of a whole batch costs rows x batch size comparisons; small arrays keep that linear.
     */
    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> out = new ArrayList<>((all.size() + ANY_CHUNK - 1) / ANY_CHUNK);
        for (int from = 0; from < all.size(); from += ANY_CHUNK) {
            out.add(all.subList(from, Math.min(all.size(), from + ANY_CHUNK)));
        }
        return out;
    }

    /**
     * {@link #chunks(Collection)} on H2; on PostgreSQL one array, whose index look-up costs nothing per element:
     * there each chunk was a round trip of its own, 16 per look-up for a batch of 1,000 accounts, while the graph
     * writer, which every node waits for, held the lock.
     */
    public static <T> List<List<T>> chunks(Connection c, Collection<T> values) throws SQLException {
        return isH2(c) ? chunks(values) : List.of(new ArrayList<>(values));
    }

    private static boolean isH2(Connection c) throws SQLException {
        return "H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    static Array array(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("VARCHAR", values.toArray(new String[0]));
    }

    // ---- writes of one resolved batch (caller owns the transaction) -------------------------------------

    public void insertAccounts(Connection c, Collection<LinkedAccount> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (" + ACCOUNT_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
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
                + " email_raw = ?, email_norm = ?, phone_raw = ?, phone_e164 = ?, first_name = ?, last_name = ?,"
                + " status = ?, created_at = ?, updated_at = ?, deleted_at = ?, version = ?, surface = ?,"
                + " link_rule = ?, link_value = ?, linked_at = ?, input_ref = ?, access_type = ?, access_owner = ?,"
                + " access_roles = ?, access_state = ?, access_tags = ?, access_group = ? WHERE account_key = ?")) {
            for (LinkedAccount row : rows) {
                bindAccount(ps, row);
                ps.setString(25, row.key());
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

    // ---- reads for the API ------------------------------------------------------------------------------

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
        ps.setString(1, a.key().toString());
        ps.setString(2, row.identityId());
        ps.setString(3, a.emailRaw());
        ps.setString(4, a.email());
        ps.setString(5, a.phoneRaw());
        ps.setString(6, a.phone());
        ps.setString(7, a.firstName());
        ps.setString(8, a.lastName());
        ps.setString(9, a.status().id());
        setInstant(ps, 10, a.createdAt());
        setInstant(ps, 11, a.updatedAt());
        setInstant(ps, 12, a.deletedAt());
        setInstant(ps, 13, a.version());
        ps.setString(14, a.surface().id());
        ps.setString(15, row.linkRule());
        ps.setString(16, row.linkValue());
        setInstant(ps, 17, row.linkedAt());
        ps.setString(18, row.inputRef());
        Access x = a.access();
        ps.setString(19, x.accountType());
        if (x.owner() == null) {
            ps.setNull(20, Types.BOOLEAN);
        } else {
            ps.setBoolean(20, x.owner());
        }
        ps.setString(21, AccessColumns.list(x.roles()));
        ps.setString(22, x.state());
        ps.setString(23, AccessColumns.list(x.tags()));
        ps.setString(24, x.group());
    }

    private static LinkedAccount account(ResultSet rs) throws SQLException {
        AccountKey key = AccountKey.parse(rs.getString(1));
        Account a = new Account(key, rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), AccountStatus.of(rs.getString(9)), instant(rs, 10),
                instant(rs, 11), instant(rs, 12), instant(rs, 13), Surface.of(rs.getString(14)), access(rs));
        return new LinkedAccount(a, rs.getString(2), rs.getString(15), rs.getString(16), instant(rs, 17),
                rs.getString(18));
    }

    private static Access access(ResultSet rs) throws SQLException {
        boolean owner = rs.getBoolean(20);
        return new Access(rs.getString(19), rs.wasNull() ? null : owner, AccessColumns.list(rs.getString(21)),
                rs.getString(22), AccessColumns.list(rs.getString(23)), rs.getString(24));
    }

    private static IdentityRow identity(ResultSet rs) throws SQLException {
        return new IdentityRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), instant(rs, 4), instant(rs, 5));
    }

    static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, v.atOffset(java.time.ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, int i) throws SQLException {
        java.time.OffsetDateTime v = rs.getObject(i, java.time.OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }
}
