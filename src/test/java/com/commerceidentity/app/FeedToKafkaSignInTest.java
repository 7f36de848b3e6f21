package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka cluster that requires clients to sign in: the sink reaches it with the Kafka client properties set as
 * {@code app.feed.kafka.client.*}, for its producer and for its reads of the topic's tail alike.
 */
class FeedToKafkaSignInTest {
    static Path brokerDir;
    static KafkaBroker broker;
    @TempDir
    Path dir;

    @BeforeAll
    static void broker() throws Exception {
        brokerDir = Files.createTempDirectory("kafka-sasl-broker");
        broker = KafkaBroker.withSaslPlain(brokerDir, Map.of("admin", "admin-secret", "feed", "feed-secret"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
        try (var files = Files.walk(brokerDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theSinkSignsInWithTheClientSettingsAndEveryEventReachesTheTopic() throws Exception {
        broker.createTopic("feed-signed", 2);
        Map<String, String> settings = new HashMap<>(Map.of("app.feed.kafka.bootstrap-servers",
                broker.bootstrapServers(), "app.feed.kafka.topic", "feed-signed", "app.feed.kafka.poll-ms", "50"));
        KafkaBroker.signIn("feed", "feed-secret").forEach((k, v) -> settings.put("app.feed.kafka.client." + k, v.toString()));
        try (AppHarness app = new AppHarness(dir, settings)) {
            drop(app, 300);
            await().atMost(Duration.ofSeconds(60)).until(() -> count("feed-signed", broker.clientSignIn()) >= 300);
            assertThat(count("feed-signed", broker.clientSignIn())).isEqualTo(300);
        }
        // and the cluster does require it: a client that does not sign in gets nothing
        assertThatThrownBy(() -> count("feed-signed", Map.of("default.api.timeout.ms", 3000)))
                .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    @Test
    void aClientSettingTheSinksPromiseRestsOnStopsTheStartNamingIt() {
        Map<String, String> settings = Map.of("app.feed.kafka.bootstrap-servers", broker.bootstrapServers(),
                "app.feed.kafka.client.acks", "1");
        assertThatThrownBy(() -> new AppHarness(dir, settings).close())
                .hasStackTraceContaining("setting app.feed.kafka.client.acks: the Kafka sink sets acks itself");
    }

    private static void drop(AppHarness app, int n) throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ndjson.append("{\"id\":").append(i).append(",\"email\":\"s").append(i)
                    .append("@fjord.io\",\"date_modified\":\"2024-01-02T00:00:00Z\"}\n");
        }
        assertThat(app.post("/drop/bigcommerce/us", AppHarness.TOKEN, ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
    }

    private static long count(String topic, Map<String, Object> signIn) {
        Map<String, Object> config = new HashMap<>(signIn);
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("enable.auto.commit", false);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(3)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
