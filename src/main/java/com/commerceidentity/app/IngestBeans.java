package com.commerceidentity.app;

import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.DropOutcomes;
import com.commerceidentity.drop.InboxGuard;
import com.commerceidentity.drop.InboxRetries;
import com.commerceidentity.drop.IngestBarrier;
import com.commerceidentity.drop.KeptCopies;
import com.commerceidentity.drop.PrivateFiles;
import com.commerceidentity.drop.MapperStep;
import com.commerceidentity.drop.ObservationBatcher;
import com.commerceidentity.drop.RecordChunks;
import com.commerceidentity.drop.RecordReader;
import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.drop.RecordRules;
import com.commerceidentity.drop.RejectRecorder;
import com.commerceidentity.drop.WaitForRoom;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.http.ApiAccess;
import com.commerceidentity.http.HttpProblems;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.store.StoreRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/** The shared ingest pipeline (routes/ingest.yaml), the inbox and the HTTP drop, and the HTTP API's error answers. */
public class IngestBeans implements CamelConfiguration {

    @BindToRegistry(value = "recordReader", lazy = true)
    public RecordReader recordReader(@BeanInject("json") ObjectMapper json,
                                     @PropertyInject("app.drop.max-record-bytes") int maxRecordBytes) {
        return new RecordReader(json, maxRecordBytes);
    }

    @BindToRegistry(value = "recordChunks", lazy = true)
    public RecordChunks recordChunks(@PropertyInject("app.ingest.chunk-size") int chunkSize) {
        return new RecordChunks(chunkSize);
    }

    /** Every input's rejects files, and the counts and latest rejects metrics and the status page show. */
    @BindToRegistry(value = "rejectLog", lazy = true)
    public RejectLog rejectLog(@BeanInject("json") ObjectMapper json) {
        return new RejectLog(json);
    }

    @BindToRegistry(value = "rejectRecorder", lazy = true)
    public RejectRecorder rejectRecorder(@BeanInject("rejectLog") RejectLog log) {
        return new RejectRecorder(log);
    }

    @BindToRegistry(value = "recordRules", lazy = true)
    public RecordRules recordRules(CamelContext context, @BeanInject("rejectRecorder") RejectRecorder rejects) {
        return new RecordRules(context, rejects);
    }

    @BindToRegistry(value = "observationBatcher", lazy = true)
    public ObservationBatcher observationBatcher() {
        return new ObservationBatcher();
    }

    @BindToRegistry(value = "ingestBarrier", lazy = true)
    public IngestBarrier ingestBarrier(@BeanInject("feedEventLog") FeedEventLog eventLog,
                                       @PropertyInject("app.batch.commit-timeout-ms") long commitTimeoutMs) {
        return new IngestBarrier(commitTimeoutMs, eventLog);
    }

    /** One thread writes the graph; inputs wait (rather than fail) while app.batch.queued batches are queued. */
    @BindToRegistry(value = "graphWriter", lazy = true)
    public ExecutorService graphWriter(CamelContext context, @PropertyInject("app.batch.queued") int queued) {
        ExecutorService writer = context.getExecutorServiceManager().newThreadPool(this, "graph-writer",
                new ThreadPoolProfileBuilder("graph-writer").poolSize(1).maxPoolSize(1).maxQueueSize(queued).build());
        ((ThreadPoolExecutor) writer).setRejectedExecutionHandler(new WaitForRoom());
        return writer;
    }

    @BindToRegistry(value = "dropInputs", lazy = true)
    public DropInputs dropInputs(CamelContext context, @BeanInject("dataDir") Path dataDir,
                                 @BeanInject("clock") Clock clock, @PropertyInject("app.inbox-dir") String inbox,
                                 @PropertyInject("app.drop.max-body-bytes") long maxBodyBytes,
                                 @BeanInject("storeRegistry") StoreRegistry stores) {
        return new DropInputs(Path.of(inbox).toAbsolutePath(), dataDir,
                new Settings(context).optional("app.drop.token").orElse(""), maxBodyBytes, clock, stores);
    }

    @BindToRegistry(value = "dropOutcomes", lazy = true)
    public DropOutcomes dropOutcomes(@BeanInject("json") ObjectMapper json,
                                     @BeanInject("dropInputs") DropInputs dropInputs,
                                     @BeanInject("inboxRetries") InboxRetries retries) {
        return new DropOutcomes(json, dropInputs.errorDir(), retries);
    }

    /** Inbox files the database failed to commit: read again after a wait that doubles while it fails. */
    @BindToRegistry(value = "inboxRetries", lazy = true)
    public InboxRetries inboxRetries(@BeanInject("clock") Clock clock,
                                     @PropertyInject("app.inbox.database-retry-ms") long firstMillis,
                                     @PropertyInject("app.inbox.database-retry-max-ms") long longestMillis) {
        return new InboxRetries(Duration.ofMillis(firstMillis), Duration.ofMillis(longestMillis), clock);
    }

    /** Deletes kept copies of exports (done, refused, rejects) once past their retention. */
    @BindToRegistry(value = "keptCopies", lazy = true)
    public KeptCopies keptCopies(@BeanInject("dropInputs") DropInputs dropInputs, @BeanInject("dataDir") Path dataDir,
                                 @BeanInject("clock") Clock clock, @PropertyInject("app.inbox-dir") String inbox,
                                 @PropertyInject("app.inbox.done-retention-days") long retentionDays)
            throws java.io.IOException {
        // The inbox itself is shared with whoever hands exports in; what the app keeps after reading is its own.
        return new KeptCopies(List.of(PrivateFiles.ownFolder(Path.of(inbox).toAbsolutePath().resolve(".done")),
                PrivateFiles.ownFolder(dropInputs.errorDir()), dataDir.resolve("rejects")),
                Duration.ofDays(retentionDays), clock);
    }

    /** Refuses a link, an empty file or a long-forgotten hidden file in the inbox, with a reason in .error/. */
    @BindToRegistry(value = "inboxGuard", lazy = true)
    public InboxGuard inboxGuard(@BeanInject("dropInputs") DropInputs dropInputs, @BeanInject("clock") Clock clock,
                                 @PropertyInject("app.inbox-dir") String inbox,
                                 @PropertyInject("app.inbox.hidden-grace-seconds") long hiddenGraceSeconds,
                                 @BeanInject("inboxRetries") InboxRetries retries) {
        return new InboxGuard(Path.of(inbox).toAbsolutePath(), dropInputs.errorDir(),
                Duration.ofSeconds(hiddenGraceSeconds), clock, retries);
    }

    /**
     * Who may use the HTTP API: built first (StartOrder), so a server open to the network without API tokens
     * never starts.
     */
    @BindToRegistry(value = "apiAccess", lazy = true)
    public ApiAccess apiAccess(CamelContext context) {
        Settings s = new Settings(context);
        return ApiAccess.configured(s.optional("app.api.read-token"), s.optional("app.api.control-token"),
                s.optional("camel.server.enabled").map(Boolean::parseBoolean).orElse(false)
                        ? s.optional("camel.server.host").orElse("0.0.0.0") : null);
    }

    /** Body limits per endpoint and the upload cap, enforced ahead of Camel's handlers as each request arrives. */
    @BindToRegistry(value = "uploadLimits", lazy = true)
    public UploadLimits uploadLimits(CamelContext context, @BeanInject("dropInputs") DropInputs dropInputs,
                                     @PropertyInject("app.webhooks.max-body-bytes") long webhookMaxBytes,
                                     @PropertyInject("app.drop.max-body-bytes") long dropMaxBytes,
                                     @PropertyInject("app.http.max-body-bytes") long otherMaxBytes,
                                     @PropertyInject("app.http.max-concurrent-uploads") int maxUploads,
                                     @PropertyInject("app.http.upload-buffer-bytes") long uploadBufferBytes,
                                     @PropertyInject("app.http.body-timeout-ms") long bodyTimeoutMs,
                                     @PropertyInject("app.http.stopping-retry-after-seconds") long retryAfterSeconds) {
        // bound by HttpServerLimits before the servers were built
        ConnectionLimits connectionLimits = context.getRegistry().lookupByNameAndType("connectionLimits",
                ConnectionLimits.class);
        UploadLimits limits = new UploadLimits(webhookMaxBytes, dropMaxBytes, otherMaxBytes, maxUploads,
                uploadBufferBytes, bodyTimeoutMs, retryAfterSeconds, dropInputs::checkToken, connectionLimits);
        limits.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(limits);
        return limits;
    }

    @BindToRegistry(value = "httpProblems", lazy = true)
    public HttpProblems httpProblems(@BeanInject("json") ObjectMapper json,
                                     @PropertyInject("app.http.stopping-retry-after-seconds") long retryAfterSeconds) {
        return new HttpProblems(json, retryAfterSeconds);
    }

    /** One mapping bean per platform module, {@code <id>Accounts}, called by its route file's map-<id> route. */
    @Override
    public void configure(CamelContext context) {
        AccountNormalizer normalizer = context.getRegistry().lookupByNameAndType("accountNormalizer",
                AccountNormalizer.class);
        RejectRecorder rejects = context.getRegistry().lookupByNameAndType("rejectRecorder", RejectRecorder.class);
        for (PlatformModule module : PlatformModules.all()) {
            context.getRegistry().bind(module.id() + "Accounts", new MapperStep(module.mapper(normalizer), rejects));
        }
    }
}
