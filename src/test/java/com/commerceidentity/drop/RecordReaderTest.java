package com.commerceidentity.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
    private final RecordReader reader = new RecordReader(new ObjectMapper(), 1024);

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

    private List<RawRecord> readRaw(byte[] bytes) {
        List<RawRecord> out = new ArrayList<>();
        reader.readBytes(bytes).forEachRemaining(out::add);
        return out;
    }

    @Test
    void anNdjsonLineOverTheRecordLimitIsARejectAndTheLinesAfterItAreRead() {
        String huge = "{\"id\":2,\"note\":\"" + "x".repeat(5000) + "\"}";
        List<RawRecord> records = read("{\"id\":1}\n" + huge + "\n{\"id\":3}\n");
        assertThat(ids(records)).containsExactly("1", "!2", "3");
        assertThat(records.get(1).error()).contains("exceeds the record limit of 1024 bytes")
                .contains(huge.length() + " bytes");
    }

    @Test
    void aLatin1ByteOnALaterNdjsonLineIsARejectNamingTheEncodingNotAMangledName() {
        byte[] latin1 = "{\"id\":1,\"last_name\":\"Ko\"}\n{\"id\":2,\"last_name\":\"M\u00fcller\"}\n{\"id\":3}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        List<RawRecord> records = readRaw(latin1);
        assertThat(ids(records)).containsExactly("1", "!2", "3");
        assertThat(records.get(1).error()).contains("not valid UTF-8").contains("0xFC");
    }

    @Test
    void aByteOrderMarkDoesNotCostTheFirstNdjsonLine() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertThat(ids(readRaw(withBom))).containsExactly("1", "2");
    }

    @Test
    void aLatin1ByteInsideAJsonArrayStopsTheFileNamingTheLine() {
        byte[] latin1 = "[\n{\"id\":1},\n{\"id\":2,\"last_name\":\"M\u00fcller\"}\n]".getBytes(StandardCharsets.ISO_8859_1);
        var it = reader.readBytes(latin1);
        assertThat(it.next().json().get("id").asInt()).isEqualTo(1);
        assertThatThrownBy(it::hasNext).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("line 3").hasMessageContaining("UTF-8");
    }
}
