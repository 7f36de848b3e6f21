package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.app.KafkaBroker;
import com.commerceidentity.graph.FeedEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How fast the Kafka sink catches up with a backlog: N customers are ingested with the sink off, then the app starts
 * again with it on, against an in-process KRaft broker (test scope, hence under src/test); prints events/s from that
 * start until the topic holds every event.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp-test.txt) com.commerceidentity.bench.KafkaSinkBenchmark 50000</pre>
 */
public final class KafkaSinkBenchmark {
    private KafkaSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 50_000L;
        Path work = BenchDir.temporary("cif-kafka-bench");
        Path staging = work.resolve("staging");
        Path inbox = work.resolve("inbox");
        List<Path> files = DropBenchmark.generate(staging, n, 1);
        Map<String, String> settings = Map.of("app.data-dir", work.resolve("data").toString(),
                "app.inbox-dir", inbox.toString(), "app.inbox.poll-delay-ms", "200", "sandbox.enabled", "false",
                "camel.server.port", "0");
        long events;
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            for (Path f : files) {
                Path target = inbox.resolve(staging.relativize(f));
                Files.createDirectories(target.getParent());
                Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            }
            while (countDone(inbox) < files.size()) {
                Thread.sleep(100);
            }
            events = app.bean("feedEventLog", FeedEventLog.class).publishedSeq();
        }
        try (KafkaBroker broker = new KafkaBroker(work.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("identity-feed", 3);
            Map<String, String> withKafka = new java.util.HashMap<>(settings);
            withKafka.put("app.feed.kafka.bootstrap-servers", servers);
            long start = System.nanoTime();
            try (EmbeddedApp app = EmbeddedApp.start(withKafka)) {
                long started = System.nanoTime();
                while (count(servers) < events) {
                    Thread.sleep(100);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.println();
                System.out.println("| metric | value |");
                System.out.println("|---|---|");
                System.out.printf("| feed events sent (backlog) | %,d |%n", events);
                System.out.printf("| app start (not counted) | %.1f s |%n", (started - start) / 1e9);
                System.out.printf("| from start to the topic holding all | %.1f s |%n", seconds);
                System.out.printf("| events/s (batch %s, 3 partitions, acks=all, idempotent) | %,.0f |%n", "1000",
                        events / seconds);
            }
        }
    }

    private static long countDone(Path inbox) throws Exception {
        Path done = inbox.resolve(".done");
        if (!Files.exists(done)) {
            return 0;
        }
        try (var s = Files.walk(done)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static long count(String servers) {
        try (var c = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", servers), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("identity-feed").stream()
                    .map(p -> new TopicPartition("identity-feed", p.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
