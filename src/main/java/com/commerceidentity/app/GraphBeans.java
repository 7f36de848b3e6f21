package com.commerceidentity.app;

import com.commerceidentity.feed.FeedApi;
import com.commerceidentity.feed.FeedFiles;
import com.commerceidentity.feed.FeedToKafka;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.graph.FeedRetention;
import com.commerceidentity.graph.FeedSnapshots;
import com.commerceidentity.graph.GoldenRule;
import com.commerceidentity.graph.GraphStore;
import com.commerceidentity.graph.GraphWriterLock;
import com.commerceidentity.graph.IdentityGraph;
import com.commerceidentity.graph.IdentitySnapshots;
import com.commerceidentity.graph.MatchPolicy;
import com.commerceidentity.model.AccountNormalizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * The graph database, the identity graph and the feed. Every bean of the configuration classes is bound lazily: it is
 * built, with the beans it names, when first looked up, and {@link StartOrder} looks them up in start-up order.
 */
public class GraphBeans implements CamelConfiguration {

    /** Default blocklist: addresses that many unrelated people share, so they must never merge anyone. */
    static final String DEFAULT_BLOCKED_EMAILS = "(no-?reply|do-?not-?reply|noemail|none|null|test|example|unknown)@.*,"
            + ".*@(example\\.(com|org|net)|test\\.com|mailinator\\.com|invalid)";

    @BindToRegistry(value = "json", lazy = true)
    public ObjectMapper json() {
        return new ObjectMapper();
    }

    @BindToRegistry(value = "clock", lazy = true)
    public Clock clock() {
        return Clock.systemUTC();
    }

    @BindToRegistry(value = "dataDir", lazy = true)
    public Path dataDir(@PropertyInject("app.data-dir") String dataDir) throws java.io.IOException {
        // the database, the feed, the webhook journal and rejects hold personal data
        return com.commerceidentity.drop.PrivateFiles.ownFolder(Path.of(dataDir).toAbsolutePath());
    }

    /** The database URL: {@code app.db.url}, or the embedded H2 under the data directory when it is not set. */
    @BindToRegistry(value = "databaseUrl", lazy = true)
    public String databaseUrl(CamelContext context, @BeanInject("dataDir") Path dataDir) {
        return new Settings(context).optional("app.db.url")
                .orElse("jdbc:h2:file:" + dataDir.resolve("db").resolve("identity"));
    }

    @BindToRegistry(value = "dataSource", lazy = true)
    public DataSource dataSource(CamelContext context, @BeanInject("databaseUrl") String url,
                                 @PropertyInject("app.db.user") String user,
                                 @PropertyInject("app.db.max-connections") int maxConnections,
                                 @PropertyInject("app.match.phone") boolean matchPhones) {
        DataSource dataSource = Database.open(url, user, new Settings(context).optional("app.db.password").orElse(""),
                maxConnections);
        InUseMark inUse = new InUseMark(InUseMark.of(url));
        Database.migrate(url, dataSource, inUse.leftByUncleanStop());
        if (!Database.shared(url)) {
            com.commerceidentity.sync.SyncStateStore.forgetWatermarksIfTheFeedLostCommits(dataSource);
        }
        try {
            inUse.set();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write " + InUseMark.of(url) + ": " + e.getMessage(), e);
        }
        context.getRegistry().bind("databaseInUseMark", inUse);
        Database.indexPhones(dataSource, matchPhones);
        return dataSource;
    }

    @BindToRegistry(value = "accountNormalizer", lazy = true)
    public AccountNormalizer accountNormalizer(@PropertyInject("app.phone.default-region") String region) {
        return new AccountNormalizer(region);
    }

    @BindToRegistry(value = "graphStore", lazy = true)
    public GraphStore graphStore(@BeanInject("dataSource") DataSource dataSource) {
        return new GraphStore(dataSource);
    }

    @BindToRegistry(value = "feedEventLog", lazy = true)
    public FeedEventLog feedEventLog(@BeanInject("graphStore") GraphStore store,
                                     @BeanInject("databaseUrl") String url,
                                     @PropertyInject("app.feed.publish-retry-ms") long publishRetryMs,
                                     @PropertyInject("app.feed.follow-ms") long followMs) {
        FeedEventLog eventLog = new FeedEventLog(store);
        if (Database.shared(url)) {
            eventLog.followDatabase(followMs, publishRetryMs);
        } else {
            eventLog.startGroupPublishing(publishRetryMs);
        }
        return eventLog;
    }

    @BindToRegistry(value = "identitySnapshots", lazy = true)
    public IdentitySnapshots identitySnapshots(CamelContext context, @BeanInject("json") ObjectMapper json,
                                               @PropertyInject("app.golden.rule") String rule) {
        return new IdentitySnapshots(json, GoldenRule.of(rule,
                MatchPolicy.list(new Settings(context).optional("app.golden.platform-priority").orElse(""))));
    }

    @BindToRegistry(value = "identityGraph", lazy = true)
    public IdentityGraph identityGraph(CamelContext context, @BeanInject("databaseUrl") String url,
                                       @BeanInject("graphStore") GraphStore store,
                                       @BeanInject("feedEventLog") FeedEventLog eventLog,
                                       @BeanInject("identitySnapshots") IdentitySnapshots snapshots,
                                       @BeanInject("clock") Clock clock,
                                       @PropertyInject("app.match.phone") boolean matchPhones,
                                       @BeanInject("erasedPages") ErasedPages erasedPages) throws Exception {
        Settings s = new Settings(context);
        MatchPolicy policy = new MatchPolicy(matchPhones,
                MatchPolicy.list(s.optional("app.match.blocked-emails").orElse(DEFAULT_BLOCKED_EMAILS)),
                MatchPolicy.list(s.optional("app.match.blocked-phones").orElse("")));
        IdentityGraph graph = new IdentityGraph(store, eventLog, policy, snapshots, clock,
                Database.shared(url) ? GraphWriterLock.postgresAdvisory() : GraphWriterLock.inProcess());
        graph.beforeErasure(erasedPages::erasing);
        return graph;
    }

    /** Compacts the embedded database file at stop after an erasure (ErasedPages). */
    @BindToRegistry(value = "erasedPages", lazy = true)
    public ErasedPages erasedPages(@BeanInject("databaseUrl") String url, @BeanInject("dataSource") DataSource dataSource) {
        return new ErasedPages(url, dataSource);
    }

    /**
     * The feed files, opened after the graph has read where the database's events end; the graph then continues the
     * sequence after whichever is further, the files or the database.
     */
    @BindToRegistry(value = "feedFiles", lazy = true)
    public FeedFiles feedFiles(@BeanInject("identityGraph") IdentityGraph graph, @BeanInject("dataDir") Path dataDir,
                               @BeanInject("clock") Clock clock, @BeanInject("feedEventLog") FeedEventLog eventLog,
                               @BeanInject("json") ObjectMapper json,
                               @PropertyInject("app.feed.roll-bytes") long rollBytes,
                               @PropertyInject("app.feed.roll-seconds") long rollSeconds) throws Exception {
        FeedFiles files = new FeedFiles(dataDir.resolve("feed"), rollBytes, Duration.ofSeconds(rollSeconds), clock,
                eventLog, json);
        graph.continueAfter(files.lastSeq());
        return files;
    }

    @BindToRegistry(value = "feedSnapshots", lazy = true)
    public FeedSnapshots feedSnapshots(@BeanInject("feedEventLog") FeedEventLog eventLog,
                                       @BeanInject("json") ObjectMapper json) {
        return new FeedSnapshots(eventLog, json);
    }

    /** Off unless app.feed.retention.max-age or max-events is set (application.properties says why). */
    @BindToRegistry(value = "feedRetention", lazy = true)
    public FeedRetention feedRetention(CamelContext context, @BeanInject("feedEventLog") FeedEventLog eventLog,
                                       @BeanInject("feedSnapshots") FeedSnapshots snapshots,
                                       @BeanInject("clock") Clock clock,
                                       @PropertyInject("app.feed.retention.max-events") long maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("setting app.feed.retention.max-events must be 0 (keep all) or more"
                    + " but is " + maxEvents);
        }
        return new FeedRetention(eventLog, snapshots,
                new Settings(context).duration("app.feed.retention.max-age").orElse(null), maxEvents, clock);
    }

    /**
     * What routes/feed-kafka.yaml sends; that route is only built when app.feed.kafka.bootstrap-servers is set, and
     * only then does retention wait for it.
     */
    @BindToRegistry(value = "feedToKafka", lazy = true)
    public FeedToKafka feedToKafka(CamelContext context, @BeanInject("feedEventLog") FeedEventLog eventLog,
                                   @BeanInject("feedRetention") FeedRetention retention,
                                   @PropertyInject("app.feed.kafka.topic") String topic,
                                   @PropertyInject("app.feed.kafka.batch") int batch) {
        String servers = new Settings(context).optional("app.feed.kafka.bootstrap-servers").orElse(null);
        Map<String, Object> client = kafkaClientSettings(context);
        FeedToKafka sink = new FeedToKafka(eventLog, context, servers, topic, batch, client);
        if (servers != null) {
            retention.holdAt(sink::sentUpTo);
            // The route's producer is made from the component's configuration when the route is built, after this.
            // Kafka applies these last, over what the route sets, so they are the operator's final word.
            context.getComponent("kafka", org.apache.camel.component.kafka.KafkaComponent.class).getConfiguration()
                    .setAdditionalProperties(new java.util.HashMap<>(client));
        }
        return sink;
    }

    /** Producer and consumer properties the sink's no-loss, no-duplicate, in-order promise rests on. */
    private static final java.util.List<String> SINK_OWNS = java.util.List.of("acks", "enable.idempotence",
            "max.in.flight.requests.per.connection", "retries", "key.", "value.", "partitioner.", "transactional.",
            "bootstrap.servers", "isolation.level", "enable.auto.commit", "allow.auto.create.topics");

    /**
     * {@code app.feed.kafka.client.<kafka property>}: Kafka client properties, as Kafka names them, for the sink's
     * producer and for its reads of the topic's tail, so one set of settings reaches a secured cluster
     * (security.protocol, sasl.*, ssl.*) both ways.
     */
    static Map<String, Object> kafkaClientSettings(CamelContext context) {
        String prefix = "app.feed.kafka.client.";
        Map<String, Object> client = new java.util.TreeMap<>();
        java.util.Properties set = new Settings(context).withPrefix(prefix);
        for (String key : set.stringPropertyNames()) {
            String value = set.getProperty(key).trim();
            String property = key.substring(prefix.length());
            if (SINK_OWNS.stream().anyMatch(property::startsWith)) {
                throw new IllegalArgumentException("setting " + key + ": the Kafka sink sets " + property + " itself,"
                        + " since sending every event once and in order rests on it; remove the setting");
            }
            if (!value.isEmpty()) {
                client.put(property, value);
            }
        }
        return client;
    }

    @BindToRegistry(value = "feedApi", lazy = true)
    public FeedApi feedApi(@BeanInject("graphStore") GraphStore store, @BeanInject("feedEventLog") FeedEventLog eventLog,
                           @BeanInject("feedSnapshots") FeedSnapshots feedSnapshots,
                           @BeanInject("identitySnapshots") IdentitySnapshots snapshots,
                           @BeanInject("accountNormalizer") AccountNormalizer normalizer,
                           @BeanInject("identityGraph") IdentityGraph graph,
                           @PropertyInject("app.feed.page-default") int pageDefault,
                           @PropertyInject("app.feed.page-max") int pageMax) {
        return new FeedApi(store, eventLog, feedSnapshots, snapshots, normalizer, graph.policy(), pageDefault, pageMax);
    }
}
