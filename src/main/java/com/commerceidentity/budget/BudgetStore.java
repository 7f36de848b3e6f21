package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import javax.sql.DataSource;

/**
 * Where a store's budget keeps what it has spent: in this process (one node, as on embedded H2) or in the
 * database every node shares (PostgreSQL), so several nodes calling one store draw on one allowance.
 */
public interface BudgetStore {

    /** A token bucket of {@code capacity} refilled at {@code perSecond}, one per {@code key} (store and lane). */
    Bucket bucket(String key, long capacity, double perSecond);

    /** A rolling window of {@code quota} requests per {@code windowMillis}, one per {@code key}. */
    RateBudget rollingWindow(String key, int quota, long windowMillis);

    /** The pause the store asks for ({@code Retry-After}, THROTTLED), honoured by this node or by every node. */
    PauseGate pauseGate(String key);

    /** Each node its own budgets: the fastest, and right when one node is all there is. */
    static BudgetStore inProcess() {
        return new BudgetStore() {
            @Override
            public Bucket bucket(String key, long capacity, double perSecond) {
                return Buckets.bucket(capacity, perSecond);
            }

            @Override
            public RateBudget rollingWindow(String key, int quota, long windowMillis) {
                return new RollingWindowBudget(quota, windowMillis);
            }

            @Override
            public PauseGate pauseGate(String key) {
                return new PauseGate();
            }
        };
    }

    /**
     * Every node's budgets in one PostgreSQL: buckets are Bucket4j proxies whose state is a row of
     * {@code rate_buckets} (read and written under {@code SELECT .. FOR UPDATE}); rolling windows count the
     * requests of every node in {@code rate_window_slots} (V8); a pause one node was asked for holds them all
     * ({@code rate_pauses}, V9).
     */
    static BudgetStore postgres(DataSource dataSource) {
        ProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_buckets").idColumn("id").stateColumn("state")
                .build();
        return new BudgetStore() {
            @Override
            public Bucket bucket(String key, long capacity, double perSecond) {
                return buckets.builder().build(key, () -> Buckets.of(capacity, perSecond));
            }

            @Override
            public RateBudget rollingWindow(String key, int quota, long windowMillis) {
                return new SharedRollingWindowBudget(new RollingWindowBudget(quota, windowMillis),
                        new DatabaseWindow(dataSource, key), pauseGate(key));
            }

            @Override
            public PauseGate pauseGate(String key) {
                return new PauseGate(new DatabasePause(dataSource, key));
            }
        };
    }
}
