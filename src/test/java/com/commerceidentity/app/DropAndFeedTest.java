package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped routes, end to end: exports in through the inbox and the HTTP drop, identities and feed out. */
class DropAndFeedTest {
    @TempDir
    static Path dir;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = new AppHarness(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Path drop(String relative, String content) throws Exception {
        Path staging = dir.resolve("staging").resolve(relative);
        Files.createDirectories(staging.getParent());
        Files.writeString(staging, content, StandardCharsets.UTF_8);
        Path target = app.inbox().resolve(relative);
        Files.createDirectories(target.getParent());
        return Files.move(staging, target);
    }

    private static Path awaitFile(Path p) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> Files.exists(p));
        return p;
    }

    @Test
    void aDroppedFileBecomesIdentitiesAndMovesToDone() throws Exception {
        drop("shopify/eu/customers.json", """
                {"customers":[
                  {"id":7064055069303700841,"email":"Grace.Hopper@Navy.example.mil","first_name":"Grace","last_name":"Hopper",
                   "state":"enabled","phone":"+1 (415) 555-0101","created_at":"2024-01-01T10:00:00-05:00","updated_at":"2024-02-01T10:00:00-05:00"}
                ]}""");
        awaitFile(app.inbox().resolve(".done/shopify/eu/customers.json"));

        JsonNode found = app.getJson("/identities?email=%20grace.hopper@navy.example.MIL");
        assertThat(found.get("identities")).hasSize(1);
        JsonNode account = found.at("/identities/0/accounts/0");
        assertThat(account.get("key").asText()).isEqualTo("shopify:eu:customer:7064055069303700841");
        assertThat(account.get("phoneE164").asText()).isEqualTo("+14155550101");
        assertThat(account.at("/link/rule").asText()).isEqualTo("first");
    }

    @Test
    void badLinesAreRejectedWithTheirLineWhileGoodOnesAreIngested() throws Exception {
        drop("bigcommerce/us/mixed.ndjson", """
                {"id":101,"email":"lin@example.io","first_name":"Lin","last_name":"Ko","date_created":"2024-01-01T00:00:00Z","date_modified":"2024-01-02T00:00:00Z"}
                {"id":102,"email":{"oops":1},"date_modified":"2024-01-02T00:00:00Z"}
                {"id":103,"email":"mo@example.io" broken
                {"id":104,"email":"mo@example.io","first_name":"Mo","date_created":"2024-01-01T00:00:00Z","date_modified":"2024-01-02T00:00:00Z"}
                """);
        awaitFile(app.inbox().resolve(".done/bigcommerce/us/mixed.ndjson"));
        Path rejects = awaitFile(app.inbox().resolve(".error/bigcommerce/us/mixed.ndjson.rejects.ndjson"));

        List<JsonNode> lines = Files.readAllLines(rejects).stream().map(l -> {
            try {
                return app.json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(lines).extracting(n -> n.get("line").asInt()).containsExactly(2, 3);
        assertThat(lines.get(0).get("field").asText()).isEqualTo("email");
        assertThat(lines.get(1).get("reason").asText()).startsWith("malformed JSON");
        assertThat(app.getJson("/identities?email=lin@example.io").get("identities")).hasSize(1);
        assertThat(app.getJson("/identities?email=mo@example.io").get("identities")).hasSize(1);
    }

    @Test
    void aFileThatCannotBeReadMovesToErrorWithAnExplanation() throws Exception {
        drop("magento/default/export.json", "[\n{\"id\":1,\"email\":\"a@b.io\"},\n{\"id\":2,");
        Path explanation = awaitFile(app.inbox().resolve(".error/magento/default/export.json.error.txt"));
        awaitFile(app.inbox().resolve(".error/magento/default/export.json"));

        String text = Files.readString(explanation);
        assertThat(text).contains("file: magento/default/export.json").contains("line 3");
    }

    @Test
    void aFileUnderAnUnknownPlatformIsAnErrorNotASilentDrop() throws Exception {
        drop("prestashop/shop/customers.ndjson", "{\"id\":1}\n");
        Path explanation = awaitFile(app.inbox().resolve(".error/prestashop/shop/customers.ndjson.error.txt"));
        assertThat(Files.readString(explanation)).contains("unknown platform 'prestashop'").contains("shopify");
    }

    @Test
    void httpDropNeedsTheBearerToken() throws Exception {
        byte[] body = "{\"id\":1,\"email\":\"t@x.io\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(app.post("/drop/bigcommerce/us", null, body).statusCode()).isEqualTo(401);
        assertThat(app.post("/drop/bigcommerce/us", "wrong", body).statusCode()).isEqualTo(401);
    }

    @Test
    void httpDropReadsTheTokenFromTheAuthorizationHeaderOnly() throws Exception {
        byte[] body = "{\"id\":1,\"email\":\"q@x.io\"}".getBytes(StandardCharsets.UTF_8);
        String token = java.net.URLEncoder.encode("Bearer " + AppHarness.TOKEN, StandardCharsets.UTF_8);
        // platform-http turns query parameters and form fields into message headers of the same name
        for (String query : new String[] {"?Authorization=" + token, "?authorization=" + token}) {
            HttpResponse<String> r = app.post("/drop/bigcommerce/us" + query, null, body);
            assertThat(r.statusCode()).as("token only in " + query.substring(0, 15)).isEqualTo(401);
            assertThat(r.body()).contains("bearer token");
        }
        HttpResponse<String> form = app.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + app.port + "/drop/bigcommerce/us"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("Authorization=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as("token only in a form field").isEqualTo(401);
        assertThat(app.post("/drop/bigcommerce/us?Authorization=" + token, AppHarness.TOKEN, body).statusCode())
                .as("the header still counts when the query repeats it").isEqualTo(200);
    }

    @Test
    void theGraphReceivesBatchesOfAtMostTheConfiguredSize() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        try (AppHarness batched = new AppHarness(dir.resolve("batched"),
                Map.of("app.batch.size", "100", "app.ingest.chunk-size", "25"))) {
            AdviceWith.adviceWith(batched.app.context(), "resolve-and-publish", a -> a.weaveAddFirst()
                    .process(ex -> batches.add(ex.getMessage().getBody(List.class).size())));
            StringBuilder ndjson = new StringBuilder();
            for (int i = 1; i <= 1_000; i++) {
                ndjson.append("{\"id\":").append(i).append(",\"email\":\"b").append(i)
                        .append("@example.io\",\"date_modified\":\"2024-01-02T00:00:00Z\"}\n");
            }
            HttpResponse<String> r = batched.post("/drop/bigcommerce/us", AppHarness.TOKEN,
                    ndjson.toString().getBytes(StandardCharsets.UTF_8));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(batches).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(100));
            assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1_000);
            // A batch is closed by size as soon as four chunks of 25 are in, not only by the timeout.
            assertThat(batches).contains(100);
        }
    }

    @Test
    void httpDropRefusesBodiesOverTheLimit() throws Exception {
        try (AppHarness small = new AppHarness(dir.resolve("small"), Map.of("app.drop.max-body-bytes", "64"))) {
            HttpResponse<String> r = small.post("/drop/medusa/md", AppHarness.TOKEN, new byte[200]);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("exceeds the limit of 64 bytes");
        }
    }

    @Test
    void httpDropReportsCountsAndNamesLineAndFieldOfEachReject() throws Exception {
        String ndjson = """
                {"id":"cus_01","email":"ana@example.io","first_name":"Ana","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}
                {"email":"noid@example.io"}
                {"id":"cus_03","email":"bo@example.io","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}
                """;
        HttpResponse<String> r = app.post("/drop/medusa/md", AppHarness.TOKEN, ndjson.getBytes(StandardCharsets.UTF_8));
        JsonNode body = app.json.readTree(r.body());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as("the answer's own type, not the upload's")
                .hasValue("application/json");
        assertThat(r.headers().map().keySet()).as("the bearer token does not come back")
                .noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(1);
        assertThat(body.at("/rejects/0/line").asInt()).isEqualTo(2);
        assertThat(body.at("/rejects/0/field").asText()).isEqualTo("id");
        assertThat(app.getJson("/identities?email=ana@example.io").get("identities"))
                .as("answered only once the records are in the graph").hasSize(1);
    }

    @Test
    void httpDropAnswers400ForMalformedJsonNamingTheLine() throws Exception {
        HttpResponse<String> r = app.post("/drop/shopify/eu", AppHarness.TOKEN,
                "{\"customers\":[{\"id\":1,\"email\":\"x@y.io\"},\n{\"id\":2,,}]}".getBytes(StandardCharsets.UTF_8));
        JsonNode body = app.json.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body.get("line").asInt()).isEqualTo(2);
        assertThat(body.get("error").asText()).contains("malformed");

        HttpResponse<String> ndjson = app.post("/drop/shopify/eu", AppHarness.TOKEN,
                "{\"id\":5,\"email\":\"five@y.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n{not json}\n".getBytes(StandardCharsets.UTF_8));
        JsonNode nd = app.json.readTree(ndjson.body());
        assertThat(ndjson.statusCode()).as("the body was read through: the answer says what happened").isEqualTo(200);
        assertThat(nd.get("accepted").asInt()).as("the good line is still ingested").isEqualTo(1);
        assertThat(nd.get("rejected").asInt()).isEqualTo(1);
        assertThat(nd.get("malformed").asInt()).isEqualTo(1);
        assertThat(nd.at("/rejects/0/line").asInt()).isEqualTo(2);
        assertThat(Path.of(nd.get("rejectsFile").asText())).as("where the rejects are").exists();
        assertThat(app.getJson("/identities?email=five@y.io").get("identities")).hasSize(1);
    }

    @Test
    void httpDropWithCurlsDefaultFormTypeIs415NamingTheAcceptedTypes() throws Exception {
        HttpResponse<String> r = app.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port
                        + "/drop/shopify/eu")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + AppHarness.TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":6,\"email\":\"six@y.io\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/json").contains("application/x-ndjson").doesNotContain("empty body");
    }

    @Test
    void aLookUpOfABlockedAddressSaysWhyItsAccountsAreNotLinked() throws Exception {
        app.post("/drop/shopify/blocked-a", AppHarness.TOKEN,
                "{\"id\":31,\"email\":\"dmitri.brown@example.org\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8));
        app.post("/drop/bigcommerce/blocked-b", AppHarness.TOKEN,
                "{\"id\":32,\"email\":\"dmitri.brown@example.org\",\"date_modified\":\"2024-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8));
        JsonNode blocked = app.getJson("/identities?email=dmitri.brown@example.org");
        assertThat(blocked.get("identities")).as("two separate people, as the blocklist wants").hasSize(2);
        assertThat(blocked.at("/notes/0").asText()).contains("example.org").contains("app.match.blocked-emails")
                .contains("not linked by email");

        app.post("/drop/shopify/linked", AppHarness.TOKEN,
                "{\"id\":33,\"email\":\"dmitri.brown@northwind.test\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(app.getJson("/identities?email=dmitri.brown@northwind.test").has("notes"))
                .as("nothing to explain for an address that links").isFalse();
    }

    @Test
    void anUnescapedPlusInTheEmailLookUpIsAPlus() throws Exception {
        app.post("/drop/shopify/plus", AppHarness.TOKEN,
                "{\"id\":21,\"email\":\"ada+shop@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8));
        JsonNode typed = app.getJson("/identities?email=ada+shop@corp.io");
        assertThat(typed.get("email").asText()).isEqualTo("ada+shop@corp.io");
        assertThat(typed.get("identities")).as("what curl users type").hasSize(1);
        assertThat(app.getJson("/identities?email=ada%2Bshop@corp.io").get("identities")).as("escaped").hasSize(1);
        HttpResponse<String> notAnEmail = app.get("/identities?email=n/a");
        assertThat(notAnEmail.statusCode()).isEqualTo(400);
        assertThat(notAnEmail.body()).contains("is not an email address");
    }

    @Test
    void anExportForAStoreThatIsNotConfiguredIsRefusedNamingTheSettingsToAdd() throws Exception {
        HttpResponse<String> typo = app.post("/drop/shopify/ue", AppHarness.TOKEN,
                "{\"id\":31,\"email\":\"typo@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(typo.statusCode()).isEqualTo(404);
        assertThat(typo.body()).contains("store 'ue' is not configured").contains("stores.ue.platform = shopify")
                .contains("stores.ue.base-url");
        HttpResponse<String> otherPlatform = app.post("/drop/bigcommerce/eu", AppHarness.TOKEN,
                "{\"id\":32,\"email\":\"typo@corp.io\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(otherPlatform.statusCode()).isEqualTo(404);
        assertThat(otherPlatform.body()).contains("store 'eu' is configured for shopify, not bigcommerce");

        drop("shopify/ue/customers.ndjson", "{\"id\":33,\"email\":\"typo@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n");
        drop("shopify/eu/beside-the-typo.ndjson",
                "{\"id\":34,\"email\":\"beside@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n");
        Path why = awaitFile(app.inbox().resolve(".error/shopify/ue/customers.ndjson.error.txt"));
        assertThat(Files.readString(why)).contains("store 'ue' is not configured").contains("stores.ue.platform = shopify");
        assertThat(app.inbox().resolve(".error/shopify/ue/customers.ndjson")).exists();
        awaitFile(app.inbox().resolve(".done/shopify/eu/beside-the-typo.ndjson"));
        await().atMost(Duration.ofSeconds(10)).until(() -> app.getJson("/identities?email=beside@corp.io")
                .get("identities").size() == 1);
        assertThat(app.getJson("/identities?email=typo@corp.io").get("identities")).as("no account of store 'ue'").isEmpty();
    }

    @Test
    void whatTheAppKeepsLiesInFoldersOnlyItsOwnUserCanOpen() throws Exception {
        drop("shopify/eu/private.ndjson", "{\"id\":35,\"email\":\"private@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n");
        awaitFile(app.inbox().resolve(".done/shopify/eu/private.ndjson"));
        for (Path folder : List.of(dir.resolve("data"), app.inbox().resolve(".done"), app.inbox().resolve(".error"))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .as(folder.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void httpDropToAnUnknownPlatformIs404() throws Exception {
        HttpResponse<String> r = app.post("/drop/wix/s", AppHarness.TOKEN, "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown platform 'wix'");
    }

    @Test
    void aMergedIdentityIdLeadsToItsSurvivor() throws Exception {
        app.post("/drop/shopify/eu", AppHarness.TOKEN,
                "{\"id\":11,\"email\":\"join@corp.io\",\"updated_at\":\"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        app.post("/drop/magento/m1", AppHarness.TOKEN,
                "{\"id\":12,\"email\":\"JOIN@corp.io\",\"updated_at\":\"2024-01-01 00:00:00\"}".getBytes(StandardCharsets.UTF_8));
        JsonNode identities = app.getJson("/identities?email=join@corp.io").get("identities");
        assertThat(identities).hasSize(1);
        assertThat(identities.get(0).get("accounts")).hasSize(2);
        String id = identities.get(0).get("id").asText();
        assertThat(app.getJson("/identities/" + id).get("id").asText()).isEqualTo(id);
        assertThat(app.get("/identities/idn_nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theFeedPagesWithAResumeCursorAndMatchesTheNdjsonFiles() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            body.append("{\"id\":").append(5000 + i).append(",\"email\":\"page").append(i)
                    .append("@corp.io\",\"date_modified\":\"2024-01-01T00:00:00Z\"}\n");
        }
        assertThat(app.post("/drop/bigcommerce/paging", AppHarness.TOKEN,
                body.toString().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

        long cursor = 0;
        long previous = 0;
        int pages = 0;
        int events = 0;
        boolean more = true;
        while (more && pages < 1000) {
            JsonNode page = app.getJson("/feed?after=" + cursor + "&limit=7");
            for (JsonNode e : page.get("events")) {
                assertThat(e.get("seq").asLong()).isEqualTo(previous + 1);
                previous = e.get("seq").asLong();
                events++;
            }
            cursor = page.get("next").asLong();
            more = page.get("hasMore").asBoolean();
            pages++;
        }
        assertThat(events).isGreaterThanOrEqualTo(25);
        assertThat(app.getJson("/feed?after=" + cursor).get("next").asLong()).isEqualTo(cursor);
        assertThat(app.get("/feed?after=" + cursor).headers().firstValue("Content-Type")).as("a JSON answer says so")
                .hasValue("application/json");
        assertThat(app.get("/feed?limit=0").statusCode()).isEqualTo(400);
        assertThat(app.get("/feed?after=abc").statusCode()).isEqualTo(400);

        long fileLines;
        try (Stream<Path> files = Files.list(app.feedDir())) {
            fileLines = files.mapToLong(f -> {
                try (Stream<String> l = Files.lines(f)) {
                    return l.count();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).sum();
        }
        assertThat(fileLines).isGreaterThanOrEqualTo(previous);
    }
}
