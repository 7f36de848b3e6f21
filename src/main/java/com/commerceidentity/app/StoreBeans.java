package com.commerceidentity.app;

import com.commerceidentity.budget.Backoff;
import com.commerceidentity.budget.BudgetStore;
import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.store.RedeliveryScheduler;
import com.commerceidentity.store.StoreAuth;
import com.commerceidentity.store.StoreCalls;
import com.commerceidentity.store.StoreDefaults;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.store.StoreRequestHeaders;
import com.commerceidentity.store.StoreSandbox;
import com.commerceidentity.store.StoreStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;

/** The configured stores, the sandbox that serves some of them, and every call to a store (routes/store-calls.yaml). */
public class StoreBeans implements CamelConfiguration {

    /** Every {@code stores.<id>.*} store, also those given only with -D or in the environment (SettingSources). */
    @BindToRegistry(value = "storeRegistry", lazy = true)
    public StoreRegistry storeRegistry(CamelContext context) {
        Settings s = new Settings(context);
        return StoreRegistry.load(s.withPrefix("stores."), StoreDefaults.from(s.withPrefix(StoreDefaults.PREFIX)),
                key -> context.getPropertiesComponent().resolveProperty(key));
    }

    /**
     * The simulators serving the sandbox stores (their addresses and credentials go into the registry), or
     * {@link StoreSandbox#none()} when sandbox.enabled is false.
     */
    @BindToRegistry(value = "sandboxStores", lazy = true)
    public StoreSandbox sandboxStores(CamelContext context, @BeanInject("storeRegistry") StoreRegistry stores,
                                      @PropertyInject("sandbox.enabled") boolean enabled) {
        if (!enabled) {
            return StoreSandbox.none();
        }
        StoreSandbox.Provider provider = ServiceLoader.load(StoreSandbox.Provider.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("sandbox.enabled=true but this build has no sandbox"));
        return provider.start(stores, new Settings(context).withPrefix("sandbox."));
    }

    @BindToRegistry(value = "meterLookup", lazy = true)
    public MeterLookup meterLookup(CamelContext context) {
        return new MeterLookup(context);
    }

    /**
     * Each store's budgets: in this node's memory on embedded H2 (one node), in the database on PostgreSQL, where
     * every node calling a store spends one allowance (docs/production.md).
     */
    @BindToRegistry(value = "rateBudgets", lazy = true)
    public RateBudgets rateBudgets(@BeanInject("meterLookup") MeterLookup meters,
                                   @BeanInject("databaseUrl") String url,
                                   @BeanInject("dataSource") DataSource dataSource) {
        return new RateBudgets(meters::registry,
                Database.shared(url) ? BudgetStore.postgres(dataSource) : BudgetStore.inProcess());
    }

    @BindToRegistry(value = "storeRequestHeaders", lazy = true)
    public StoreRequestHeaders storeRequestHeaders() {
        return new StoreRequestHeaders();
    }

    @BindToRegistry(value = "storeCalls", lazy = true)
    public StoreCalls storeCalls(CamelContext context, @BeanInject("storeRegistry") StoreRegistry stores,
                                 @BeanInject("rateBudgets") RateBudgets budgets,
                                 @BeanInject("json") ObjectMapper json, @BeanInject("clock") Clock clock,
                                 @PropertyInject("app.store-call.backoff-base-ms") long backoffBaseMs,
                                 @PropertyInject("app.store-call.backoff-max-ms") long backoffMaxMs,
                                 @PropertyInject("app.store-call.max-attempts") int maxAttempts,
                                 @PropertyInject("app.store-call.max-rate-limited") int maxRateLimited) {
        StoreCalls calls = new StoreCalls(stores, budgets, new StoreAuth(json, clock),
                new Backoff(backoffBaseMs, backoffMaxMs), maxAttempts, maxRateLimited);
        // a lazily built bean is not handed the context the way Registry.bind hands it
        calls.setCamelContext(context);
        return calls;
    }

    /** direct:store-call's error handler (routes/store-calls.yaml): the delay before a redelivery. */
    @BindToRegistry(value = "storeCallRetryDelay", lazy = true)
    public Processor storeCallRetryDelay(@BeanInject("storeCalls") StoreCalls storeCalls) {
        return storeCalls.retryDelay();
    }

    /** direct:store-call's error handler: what happens before a redelivery. */
    @BindToRegistry(value = "storeCallBeforeRedelivery", lazy = true)
    public Processor storeCallBeforeRedelivery(@BeanInject("storeCalls") StoreCalls storeCalls) {
        return storeCalls.beforeRedelivery();
    }

    /** direct:store-call's error handler: where the delay is waited out, no thread sleeping. */
    @BindToRegistry(value = "storeCallRedeliveries", lazy = true)
    public RedeliveryScheduler storeCallRedeliveries(CamelContext context) {
        return new RedeliveryScheduler(context.getExecutorServiceManager().newCachedThreadPool(this,
                "store-call-redelivery"));
    }

    @BindToRegistry(value = "storeStatus", lazy = true)
    public StoreStatus storeStatus(@BeanInject("storeRegistry") StoreRegistry stores,
                                   @BeanInject("rateBudgets") RateBudgets budgets,
                                   @BeanInject("json") ObjectMapper json) {
        return new StoreStatus(stores, budgets, json);
    }
}
