package com.commerceidentity.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
    private final RecordReader reader = new RecordReader(new ObjectMapper());

    private List<RawRecord> read(String text) {
        List<RawRecord> out = new ArrayList<>();
        reader.readBytes(text.getBytes(StandardCharsets.UTF_8)).forEachRemaining(out::add);
        return out;
    }

    private static List<String> ids(List<RawRecord> records) {
        return records.stream().map(r -> r.json() == null ? "!" + r.line() : r.json().get("id").asText()).toList();
    }

    @Test
    void readsAJsonArrayWithTheLineEachRecordStartsOn() {
        List<RawRecord> records = read("[\n {\"id\": 1},\n {\"id\": 2}\n]");
        assertThat(ids(records)).containsExactly("1", "2");
        assertThat(records).extracting(RawRecord::line).containsExactly(2L, 3L);
    }

    @Test
    void ndjsonKeepsGoingPastAMalformedLineAndReportsItsLineNumber() {
        List<RawRecord> records = read("{\"id\":1}\n{\"id\":2,,}\n\n{\"id\":3}\n[1]\n");
        assertThat(ids(records)).containsExactly("1", "!2", "3", "!5");
        assertThat(records.get(1).error()).startsWith("malformed JSON at column");
        assertThat(records.get(3).error()).contains("not a JSON object");
    }

    @Test
    void unwrapsEachPlatformsOwnListResponse() {
        assertThat(ids(read("{\"customers\":[{\"id\":1},{\"id\":2}]}"))).containsExactly("1", "2");
        assertThat(ids(read("{\"users\":[{\"id\":\"user_1\"}],\"count\":1,\"offset\":0,\"limit\":50}")))
                .containsExactly("user_1");
        assertThat(ids(read("{\"items\":[{\"id\":5}],\"search_criteria\":{\"filter_groups\":[]},\"total_count\":1}")))
                .containsExactly("5");
        assertThat(ids(read("{\"data\":[{\"id\":9}],\"meta\":{\"pagination\":{\"total\":1}}}"))).containsExactly("9");
        assertThat(ids(read("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                + "\"totalResults\":1,\"Resources\":[{\"id\":\"s1\"}]}"))).containsExactly("s1");
    }

    @Test
    void unwrapsGraphqlEdgesAndNodes() {
        String edges = "{\"data\":{\"staffMembers\":{\"edges\":[{\"cursor\":\"a\",\"node\":{\"id\":\"gid://shopify/StaffMember/1\"}}],"
                + "\"pageInfo\":{\"hasNextPage\":false}}},\"extensions\":{\"cost\":{}}}";
        assertThat(ids(read(edges))).containsExactly("gid://shopify/StaffMember/1");
        assertThat(ids(read("{\"data\":{\"customers\":{\"nodes\":[{\"id\":\"gid://shopify/Customer/2\"}]}}}")))
                .containsExactly("gid://shopify/Customer/2");
    }

    @Test
    void readsPrettyPrintedObjectsOneAfterAnother() {
        assertThat(ids(read("{\n  \"id\": 1\n}\n{\n  \"id\": 2\n}\n"))).containsExactly("1", "2");
    }

    @Test
    void aTruncatedArrayFailsNamingTheLine() {
        var it = reader.readBytes("[\n{\"id\":1},\n{\"id\":2".getBytes(StandardCharsets.UTF_8));
        assertThat(it.next().json().get("id").asInt()).isEqualTo(1);
        assertThatThrownBy(it::hasNext).isInstanceOf(RecordFormatException.class).hasMessageContaining("line 3");
    }

    @Test
    void somethingThatIsNotJsonAtAllFailsAtOnce() {
        assertThatThrownBy(() -> read("name,email\nada,ada@example.org\n"))
                .isInstanceOf(RecordFormatException.class).hasMessageContaining("line 1");
    }

    @Test
    void anEmptyInputHasNoRecords() {
        assertThat(read("  \n")).isEmpty();
    }
}
