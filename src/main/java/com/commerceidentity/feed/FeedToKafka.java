package com.commerceidentity.feed;

import com.commerceidentity.graph.FeedEventLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Kafka sink (routes/feed-kafka.yaml) stands, and what it sends next. Kafka itself is the record of what
 * was sent: at start, and after any failed send, the last record of each partition is read back and its {@code seq}
 * noted. Each event goes to the partition its identity id hashes to (chosen here, so the tail read knows which
 * partition holds which events), and a partition is filled in seq order by one idempotent producer; so every event of
 * a partition up to its last seq is there, and the sink resends exactly the events after it. No offsets are committed
 * anywhere else, so nothing can disagree with the topic.
 */
public class FeedToKafka {
    private static final Logger LOG = LoggerFactory.getLogger(FeedToKafka.class);
    private final FeedEventLog eventLog;
    private final CamelContext context;
    private final String bootstrapServers;
    private final String topic;
    private final int batch;
    private final ObjectMapper json = new ObjectMapper();

    /** The seq of the last record of each partition as of the last tail read; null: read it before sending. */
    private long[] partitionSeq;
    /** Every event up to this seq is in Kafka. */
    private volatile long sentUpTo;
    /** The last seq of the batch handed to the route and not yet acknowledged. */
    private long pendingUpTo;
    /** A batch is out and neither {@link #sent} nor {@link #failed} has been called for it. */
    private boolean inFlight;

    /** Kafka client properties the operator set (security, TLS, SASL): the tail reads use them like the producer. */
    private final Map<String, Object> clientSettings;

    public FeedToKafka(FeedEventLog eventLog, CamelContext context, String bootstrapServers, String topic, int batch,
                       Map<String, Object> clientSettings) {
        this.clientSettings = Map.copyOf(clientSettings);
        this.eventLog = eventLog;
        this.context = context;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.batch = batch;
    }

    /**
     * The next served events Kafka lacks, oldest first, at most the batch size, as messages keyed by identity id with
     * their partition set; empty when Kafka has everything served.
     */
    public synchronized List<Message> nextBatch() throws SQLException {
        if (inFlight) {
            // two rounds at once would both send what the first has not settled yet: duplicates
            return List.of();
        }
        if (partitionSeq == null) {
            readTails();
        }
        List<Message> out = new ArrayList<>();
        long cursor = sentUpTo;
        while (out.isEmpty()) {
            List<FeedEvent> events = eventLog.eventsAfter(cursor, batch);
            if (events.isEmpty()) {
                break;
            }
            for (FeedEvent e : events) {
                int partition = partitionOf(e.identityId());
                if (e.seq() > partitionSeq[partition]) {
                    Message m = new DefaultMessage(context);
                    m.setBody(e.json());
                    m.setHeader("kafka.KEY", e.identityId());
                    m.setHeader("kafka.PARTITION_KEY", partition);
                    out.add(m);
                }
            }
            cursor = events.get(events.size() - 1).seq();
            if (out.isEmpty()) {
                sentUpTo = cursor; // all of them were in Kafka already (the partitions' tails were ahead)
            }
        }
        pendingUpTo = cursor;
        inFlight = !out.isEmpty();
        return out;
    }

    /** Kafka acknowledged the whole batch (acks=all). */
    public synchronized void sent() {
        sentUpTo = Math.max(sentUpTo, pendingUpTo);
        inFlight = false;
    }

    /** A send failed: some records of the batch may be in Kafka, so where each partition stands is read again. */
    public synchronized void failed() {
        partitionSeq = null;
        inFlight = false;
    }

    /**
     * Another node sends now (it holds the lease, {@code ClusterJobs}): what it sends meanwhile is in the topic, so
     * should this node send again later it reads where each partition stands first.
     */
    public synchronized void anotherNodeSends() {
        partitionSeq = null;
    }

    /** Every event up to this seq is in Kafka: retention keeps what comes after. */
    public long sentUpTo() {
        return sentUpTo;
    }

    private int partitionOf(String identityId) {
        // the producer's own default for a keyed record, fixed here so the tail read knows where each event went
        return Utils.toPositive(Utils.murmur2(identityId.getBytes(StandardCharsets.UTF_8))) % partitionSeq.length;
    }

    private void readTails() {
        Map<String, Object> config = new java.util.HashMap<>(clientSettings);
        // what the tail read relies on is not the operator's to change
        config.putAll(Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", false,
                "allow.auto.create.topics", false, "isolation.level", "read_committed"));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Kafka topic '" + topic + "' (app.feed.kafka.topic) does not exist at "
                        + bootstrapServers + "; create it (the sink never creates topics, so partitions and retention"
                        + " stay the operator's choice)");
            }
            long[] seqs = new long[infos.size()];
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                if (ends.get(tp) > starts.get(tp)) {
                    seqs[tp.partition()] = lastSeq(consumer, tp, ends.get(tp));
                }
            }
            partitionSeq = seqs;
            sentUpTo = Arrays.stream(seqs).min().orElse(0);
            LOG.info("feed to Kafka: topic '{}' holds up to seq {} per partition; sending from seq {}", topic,
                    Arrays.toString(seqs), sentUpTo + 1);
        }
    }

    private long lastSeq(KafkaConsumer<String, String> consumer, TopicPartition tp, long end) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, end - 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seq = 0;
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(500)).records(tp);
            for (ConsumerRecord<String, String> r : records) {
                try {
                    seq = Math.max(seq, json.readTree(r.value()).path("seq").asLong());
                } catch (Exception e) {
                    throw new IllegalStateException("the last record of " + tp + " (offset " + r.offset() + ") is not"
                            + " a feed event; the topic must hold this feed only", e);
                }
            }
            if (!records.isEmpty() && records.get(records.size() - 1).offset() >= end - 1) {
                return seq;
            }
        }
        throw new IllegalStateException("could not read the last record of " + tp + " within 30 s");
    }
}
