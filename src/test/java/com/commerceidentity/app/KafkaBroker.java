package com.commerceidentity.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One in-process KRaft node (controller and broker in one) on loopback ports chosen at start: the smallest real Kafka
 * a test can talk to. The directory is formatted the way {@code kafka-storage.sh format} does.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;

    /** Clients must sign in with these (SASL PLAIN over plain TCP); empty: no sign-in. */
    private final Map<String, Object> clientSignIn;

    public KafkaBroker(Path dir) throws Exception {
        this(dir, Map.of());
    }

    /**
     * A broker whose clients sign in with SASL PLAIN as one of {@code users} (name to password), which must name
     * {@code admin}: the broker itself and {@link #createTopic} sign in as that one.
     */
    public static KafkaBroker withSaslPlain(Path dir, Map<String, String> users) throws Exception {
        return new KafkaBroker(dir, users);
    }

    private KafkaBroker(Path dir, Map<String, String> users) throws Exception {
        boolean sasl = !users.isEmpty();
        String listener = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path logs = Files.createDirectories(dir.resolve("kraft"));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", listener);
        String admin = "admin";
        if (sasl && !users.containsKey(admin)) {
            throw new IllegalArgumentException("the users must include admin");
        }
        if (sasl) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + admin + "\" password=\"" + users.get(admin) + "\"");
            users.forEach((name, password) -> jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
            clientSignIn = signIn(admin, users.get(admin));
        } else {
            clientSignIn = Map.of();
        }
        p.put("log.dirs", logs.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        KafkaConfig config = KafkaConfig.fromProps(p, false);
        new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(logs.toString()))
                .setMetadataLogDirectory(logs.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setPrintStream(System.out)
                .run();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        bootstrap = "127.0.0.1:" + brokerPort;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public void createTopic(String name, int partitions) throws Exception {
        Map<String, Object> config = new java.util.HashMap<>(clientSignIn);
        config.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** The client properties that sign in as {@code user} on a {@link #withSaslPlain} broker. */
    public static Map<String, Object> signIn(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /** What a client needs besides the bootstrap servers: the first user's sign-in on a SASL broker. */
    public Map<String, Object> clientSignIn() {
        return clientSignIn;
    }

    private static int freePort() throws Exception {
        return com.commerceidentity.TestPorts.free();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
