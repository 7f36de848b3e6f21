package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /feed/snapshot over HTTP: NDJSON, its seq first, then one line per identity. */
class FeedSnapshotHttpTest {
    @TempDir
    Path dir;

    @Test
    void theSnapshotNamesItsSeqFirstThenEveryIdentityOnce() throws Exception {
        try (AppHarness app = new AppHarness(dir, Map.of())) {
            String ndjson = """
                    {"id":1,"email":"a@fjord.io","date_modified":"2024-01-02T00:00:00Z"}
                    {"id":2,"email":"b@fjord.io","date_modified":"2024-01-02T00:00:00Z"}
                    {"id":3,"email":"a@fjord.io","date_modified":"2024-01-02T00:00:00Z"}
                    """;
            assertThat(app.post("/drop/bigcommerce/us", AppHarness.TOKEN, ndjson.getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(200);

            var answer = app.get("/feed/snapshot");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
            List<String> lines = answer.body().lines().toList();
            assertThat(lines.get(0)).isEqualTo("{\"seq\":3}");
            assertThat(lines.subList(1, lines.size())).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains("\"seq\":3,\"type\":\"account.linked\""))
                    .anySatisfy(l -> assertThat(l).contains("\"seq\":2,\"type\":\"identity.created\""));
        }
    }
}
