package com.commerceidentity.platform.bigcommerce;

import static com.commerceidentity.platform.MappingAssertions.assertField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BigCommerceMapperTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("bigcommerce/customers.v3.yml");
    private final BigCommerceMapper mapper = new BigCommerceMapper(new AccountNormalizer("US"));

    private Account map(String json) {
        return mapper.map("store1", null, SharedSpecs.parse(json), Surface.REST);
    }

    private static JsonNode responseExampleCustomer(String response) {
        return SPEC.at("/components/responses/" + response + "/content/application~1json/examples/example-1/value/data/0");
    }

    @Test
    void specResponseExamplesHaveNoIdAndAreRejectedNamingId() {
        // The published examples omit id and the dates, so they are not mappable as they stand.
        for (String response : new String[] {"CustomerCollectionResponse", "GetCustomerCollectionResponse"}) {
            JsonNode example = responseExampleCustomer(response);
            assertThat(example.get("email").asText()).isEqualTo("jane.smith@example.com");
            assertThatThrownBy(() -> mapper.map("store1", null, example, Surface.REST))
                    .isInstanceOf(MappingException.class)
                    .satisfies(e -> assertThat(((MappingException) e).field()).isEqualTo("id"));
        }
    }

    @Test
    void specResponseExampleWithServerFieldsMapsEveryField() {
        for (String response : new String[] {"CustomerCollectionResponse", "GetCustomerCollectionResponse"}) {
            ObjectNode c = responseExampleCustomer(response).deepCopy();
            c.put("id", 1);
            c.put("date_created", "2024-05-14T09:34:00Z");
            c.put("date_modified", "2024-05-15T10:00:00Z");
            Account a = mapper.map("store1", null, c, Surface.REST);
            assertThat(a.key().toString()).isEqualTo("bigcommerce:store1:customer:1");
            assertThat(a.email()).isEqualTo("jane.smith@example.com");
            assertThat(a.phoneRaw()).isEqualTo("555-123-4567");
            assertThat(a.phone()).isEqualTo("+15551234567");
            assertThat(a.firstName()).isEqualTo("Jane");
            assertThat(a.lastName()).isEqualTo("Smith");
            assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
            assertThat(a.createdAt()).isEqualTo(Instant.parse("2024-05-14T09:34:00Z"));
            assertThat(a.version()).isEqualTo(Instant.parse("2024-05-15T10:00:00Z"));
        }
    }

    @Test
    void specUpdateRequestExampleCarriesAnIdAndMaps() {
        JsonNode put = SPEC.at("/paths/~1customers/put/requestBody/content/application~1json/examples/example-1/value/0");
        Account a = mapper.map("store1", null, put, Surface.REST);
        assertThat(a.key().toString()).isEqualTo("bigcommerce:store1:customer:1");
        assertThat(a.email()).isEqualTo("jane.smith@example.com");
        assertThat(a.version()).isNull();
    }

    @Test
    void dateModifiedIsTheVersion() {
        Account a = map("{\"id\":42,\"email\":\" Jane@Example.COM \",\"date_created\":\"2021-06-08T15:14:47Z\","
                + "\"date_modified\":\"2021-06-09T08:00:00Z\"}");
        assertThat(a.email()).isEqualTo("jane@example.com");
        assertThat(a.emailRaw()).isEqualTo(" Jane@Example.COM ");
        assertThat(a.version()).isEqualTo(Instant.parse("2021-06-09T08:00:00Z"));
        assertThat(a.updatedAt()).isEqualTo(Instant.parse("2021-06-09T08:00:00Z"));
    }

    @Test
    void unparsablePhoneKeepsRawValueWithoutE164() {
        Account a = map("{\"id\":42,\"email\":\"j@example.com\",\"phone\":\"call reception\"}");
        assertThat(a.phoneRaw()).isEqualTo("call reception");
        assertThat(a.phone()).isNull();
    }

    @Test
    void staffHintIsRejectedBecauseBigCommerceHasNoStaffAccounts() {
        assertThatThrownBy(() -> mapper.map("store1", Kind.STAFF, SharedSpecs.parse("{\"id\":1,\"email\":\"a@example.com\"}"),
                Surface.REST)).isInstanceOf(MappingException.class).hasMessageContaining("no staff");
        assertThat(mapper.map("store1", Kind.CUSTOMER, SharedSpecs.parse("{\"id\":1,\"email\":\"a@example.com\"}"),
                Surface.REST).key().kind()).isEqualTo(Kind.CUSTOMER);
    }

    @Test
    void eachValidationErrorNamesTheField() {
        assertField(() -> map("[]"), null);
        assertField(() -> map("{\"email\":\"a@example.com\"}"), "id");
        assertField(() -> map("{\"id\":\"abc\",\"email\":\"a@example.com\"}"), "id");
        assertField(() -> map("{\"id\":1}"), "email");
        assertField(() -> map("{\"id\":1,\"email\":7}"), "email");
        assertField(() -> map("{\"id\":1,\"email\":\"a@example.com\",\"last_name\":{}}"), "last_name");
        assertField(() -> map("{\"id\":1,\"email\":\"a@example.com\",\"date_modified\":\"05/14/2024\"}"), "date_modified");
    }
}
