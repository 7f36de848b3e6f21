package com.commerceidentity.app;

import com.commerceidentity.drop.DropInputs;
import com.commerceidentity.drop.DropOutcomes;
import com.commerceidentity.drop.IngestBarrier;
import com.commerceidentity.drop.MapperStep;
import com.commerceidentity.drop.ObservationBatcher;
import com.commerceidentity.drop.RecordChunks;
import com.commerceidentity.drop.RecordReader;
import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.drop.RejectRecorder;
import com.commerceidentity.drop.WaitForRoom;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.http.HttpProblems;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
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
    public RecordReader recordReader(@BeanInject("json") ObjectMapper json) {
        return new RecordReader(json);
    }

    @BindToRegistry(value = "recordChunks", lazy = true)
    public RecordChunks recordChunks(@PropertyInject("app.ingest.chunk-size") int chunkSize) {
        return new RecordChunks(chunkSize);
    }

    @BindToRegistry(value = "rejectRecorder", lazy = true)
    public RejectRecorder rejectRecorder(@BeanInject("json") ObjectMapper json) {
        return new RejectRecorder(new RejectLog(json));
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
                                 @PropertyInject("app.drop.max-body-bytes") long maxBodyBytes) {
        return new DropInputs(Path.of(inbox).toAbsolutePath(), dataDir,
                new Settings(context).optional("app.drop.token").orElse(""), maxBodyBytes, clock);
    }

    @BindToRegistry(value = "dropOutcomes", lazy = true)
    public DropOutcomes dropOutcomes(@BeanInject("json") ObjectMapper json,
                                     @BeanInject("dropInputs") DropInputs dropInputs) {
        return new DropOutcomes(json, dropInputs.errorDir());
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
