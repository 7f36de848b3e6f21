package com.commerceidentity.platform.shopify;

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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopifyMapperTest {
    private static final String EXAMPLES = "shopify/rest-admin-customer-examples-2025-07.json";
    private final ShopifyMapper mapper = new ShopifyMapper(new AccountNormalizer("US"));

    private Account map(String json) {
        return mapper.map("shop1", null, SharedSpecs.parse(json), Surface.REST);
    }

    /** Every customer in the official REST examples: top-level customer(s) and the customer inside each order. */
    private static List<JsonNode> exampleCustomers() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode example : SharedSpecs.json(EXAMPLES).get("examples")) {
            JsonNode body = example.get("response_body");
            if (body.has("customer")) {
                out.add(body.get("customer"));
            }
            body.path("customers").forEach(out::add);
            body.path("orders").forEach(order -> {
                if (order.hasNonNull("customer")) {
                    out.add(order.get("customer"));
                }
            });
        }
        return out;
    }

    @Test
    void everyCustomerInTheOfficialRestExamplesMapsToItsOwnFields() {
        Map<String, AccountStatus> states = Map.of("enabled", AccountStatus.ACTIVE, "disabled", AccountStatus.DISABLED,
                "invited", AccountStatus.INVITED, "declined", AccountStatus.DISABLED);
        List<JsonNode> customers = exampleCustomers();
        // 9 single-customer bodies, 13 customers in lists, and one customer in each of the two orders bodies.
        assertThat(customers).hasSize(24);
        for (JsonNode c : customers) {
            Account a = mapper.map("shop1", null, c, Surface.REST);
            assertThat(a.key().toString()).isEqualTo("shopify:shop1:customer:" + c.get("id").asText());
            assertThat(a.email()).isEqualTo(c.get("email").asText().toLowerCase(Locale.ROOT));
            assertThat(a.phone()).isEqualTo(c.hasNonNull("phone") ? c.get("phone").asText() : null);
            assertThat(a.firstName()).isEqualTo(c.hasNonNull("first_name") ? c.get("first_name").asText() : null);
            assertThat(a.status()).isEqualTo(c.has("state") ? states.get(c.get("state").asText()) : AccountStatus.ACTIVE);
            Instant updated = c.has("updated_at") ? OffsetDateTime.parse(c.get("updated_at").asText()).toInstant() : null;
            assertThat(a.version()).isEqualTo(updated);
            assertThat(a.key().kind()).isEqualTo(Kind.CUSTOMER);
        }
    }

    @Test
    void bobNormanFromTheSingleCustomerExampleIsDisabledWithUtcVersionAndE164Phone() {
        JsonNode body = SharedSpecs.json(EXAMPLES).get("examples").get(11).get("response_body").get("customer");
        Account a = mapper.map("shop1", null, body, Surface.REST);
        assertThat(a.key().toString()).isEqualTo("shopify:shop1:customer:207119551");
        assertThat(a.email()).isEqualTo("bob.norman@mail.example.com");
        assertThat(a.phone()).isEqualTo("+16136120707");
        assertThat(a.status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(a.version()).isEqualTo(Instant.parse("2025-04-02T16:25:58Z"));
        assertThat(a.surface()).isEqualTo(Surface.REST);
    }

    @Test
    void createdCustomerWithStateEnabledIsActive() {
        JsonNode body = SharedSpecs.json(EXAMPLES).get("examples").get(17).get("response_body").get("customer");
        assertThat(body.get("state").asText()).isEqualTo("enabled");
        assertThat(mapper.map("shop1", null, body, Surface.REST).status()).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void shopifyCustomerIdAbove2pow53IsKeptExactly() {
        // 2^53 + 1 is the first integer a double cannot hold; a double would turn it into ...992.
        assertThat(map("{\"id\": 9007199254740993, \"email\": \"a@example.com\"}").key().sourceId())
                .isEqualTo("9007199254740993");
        assertThat(map("{\"id\": 7064055069303703553}").key().sourceId()).isEqualTo("7064055069303703553");
        assertThat(map("{\"id\": \"7064055069303703553\"}").key().sourceId()).isEqualTo("7064055069303703553");
    }

    @Test
    void floatingPointIdIsRejectedBecauseItMayAlreadyBeRounded() {
        assertThatThrownBy(() -> map("{\"id\": 7.064055069303704E18}"))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).field()).isEqualTo("id"));
    }

    @Test
    void restStatesMapToCanonicalStatuses() {
        assertThat(map("{\"id\":1,\"state\":\"enabled\"}").status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(map("{\"id\":1,\"state\":\"disabled\"}").status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(map("{\"id\":1,\"state\":\"invited\"}").status()).isEqualTo(AccountStatus.INVITED);
        assertThat(map("{\"id\":1,\"state\":\"declined\"}").status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(map("{\"id\":1}").status()).isEqualTo(AccountStatus.ACTIVE);
        assertField(() -> map("{\"id\":1,\"state\":\"frozen\"}"), "state");
    }

    @Test
    void graphqlStaffMemberKeepsItsGidAndHasNoVersion() {
        Account a = mapper.map("shop1", null, SharedSpecs.parse("""
                {"id":"gid://shopify/StaffMember/902541635","firstName":"John","lastName":"Smith",
                 "email":"John.Smith@Example.com","phone":"+1 613-555-0100","active":true,"accountType":"REGULAR"}"""),
                Surface.GRAPHQL);
        assertThat(a.key().toString()).isEqualTo("shopify:shop1:staff:gid://shopify/StaffMember/902541635");
        assertThat(a.email()).isEqualTo("john.smith@example.com");
        assertThat(a.phone()).isEqualTo("+16135550100");
        assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(a.version()).isNull();
        assertThat(a.surface()).isEqualTo(Surface.GRAPHQL);
    }

    @Test
    void staffMemberStatusFollowsAccountTypeThenActive() {
        String base = "{\"id\":\"gid://shopify/StaffMember/1\",\"email\":\"s@example.com\",";
        assertThat(map(base + "\"active\":false,\"accountType\":\"REGULAR\"}").status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(map(base + "\"active\":false,\"accountType\":\"INVITED\"}").status()).isEqualTo(AccountStatus.INVITED);
        assertThat(map(base + "\"active\":true,\"accountType\":\"REQUESTED\"}").status()).isEqualTo(AccountStatus.INVITED);
        assertThat(map(base + "\"active\":true,\"accountType\":\"COLLABORATOR\"}").status()).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void scimUserIsStaffWithPrimaryEmailAndMetaTimestamps() {
        Account a = mapper.map("shop1", null, SharedSpecs.parse("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223-7f76-453a-919d-413861904646",
                 "userName":"bjensen@example.com","name":{"givenName":"Barbara","familyName":"Jensen"},
                 "emails":[{"value":"bjensen@home.example.com","type":"home"},
                           {"value":"BJensen@Example.com","type":"work","primary":true}],
                 "phoneNumbers":[{"value":"+44 20 7946 0958","type":"work"}],
                 "active":false,
                 "meta":{"resourceType":"User","created":"2010-01-23T04:56:22Z","lastModified":"2011-05-13T04:42:34.5Z"}}"""),
                Surface.SCIM);
        assertThat(a.key().toString()).isEqualTo("shopify:shop1:staff:2819c223-7f76-453a-919d-413861904646");
        assertThat(a.email()).isEqualTo("bjensen@example.com");
        assertThat(a.emailRaw()).isEqualTo("BJensen@Example.com");
        assertThat(a.phone()).isEqualTo("+442079460958");
        assertThat(a.firstName()).isEqualTo("Barbara");
        assertThat(a.lastName()).isEqualTo("Jensen");
        assertThat(a.status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2010-01-23T04:56:22Z"));
        assertThat(a.version()).isEqualTo(Instant.parse("2011-05-13T04:42:34.500Z"));
        assertThat(a.surface()).isEqualTo(Surface.SCIM);
    }

    @Test
    void scimUserWithoutEmailsFallsBackToAnAddressInUserName() {
        Account a = map("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"u1\",\"userName\":\"Ops@Example.com\"}");
        assertThat(a.email()).isEqualTo("ops@example.com");
        assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
    }

    @Test
    void kindIsRecognisedByShapeAndAContradictingHintIsRejected() {
        JsonNode customer = SharedSpecs.parse("{\"id\":5,\"email\":\"c@example.com\"}");
        JsonNode staff = SharedSpecs.parse("{\"id\":\"gid://shopify/StaffMember/5\",\"email\":\"s@example.com\"}");
        JsonNode scim = SharedSpecs.parse("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"5\"}");
        assertThat(mapper.map("shop1", null, customer, Surface.REST).key().kind()).isEqualTo(Kind.CUSTOMER);
        assertThat(mapper.map("shop1", null, staff, Surface.GRAPHQL).key().kind()).isEqualTo(Kind.STAFF);
        assertThat(mapper.map("shop1", null, scim, Surface.SCIM).key().kind()).isEqualTo(Kind.STAFF);
        assertThat(mapper.map("shop1", Kind.STAFF, scim, Surface.SCIM).key().kind()).isEqualTo(Kind.STAFF);
        assertThatThrownBy(() -> mapper.map("shop1", Kind.STAFF, customer, Surface.REST)).isInstanceOf(MappingException.class);
        assertThatThrownBy(() -> mapper.map("shop1", Kind.CUSTOMER, staff, Surface.GRAPHQL)).isInstanceOf(MappingException.class);
    }

    @Test
    void eachValidationErrorNamesTheField() {
        assertField(() -> map("[{\"id\":1}]"), null);
        assertField(() -> map("\"customer\""), null);
        assertField(() -> map("{\"email\":\"x@example.com\"}"), "id");
        assertField(() -> map("{\"id\":1,\"email\":42}"), "email");
        assertField(() -> map("{\"id\":1,\"email\":{\"address\":\"x@example.com\"}}"), "email");
        assertField(() -> map("{\"id\":1,\"first_name\":[\"Bob\"]}"), "first_name");
        assertField(() -> map("{\"id\":1,\"phone\":6135550100}"), "phone");
        assertField(() -> map("{\"id\":1,\"updated_at\":\"yesterday\"}"), "updated_at");
        assertField(() -> map("{\"id\":true}"), "id");
        assertField(() -> map("{\"id\":\"gid://shopify/StaffMember/1\",\"accountType\":\"REGULAR\"}"), "email");
        assertField(() -> map("{\"id\":\"gid://shopify/StaffMember/1\",\"email\":\"s@example.com\",\"active\":\"yes\"}"), "active");
        assertField(() -> map("{\"accountType\":\"REGULAR\",\"email\":\"s@example.com\"}"), "id");
        String scim = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],";
        assertField(() -> map(scim + "\"userName\":\"u\"}"), "id");
        assertField(() -> map(scim + "\"id\":\"u\",\"emails\":\"u@example.com\"}"), "emails");
        assertField(() -> map(scim + "\"id\":\"u\",\"emails\":[{\"value\":7}]}"), "emails[0].value");
        assertField(() -> map(scim + "\"id\":\"u\",\"name\":{\"givenName\":1}}"), "name.givenName");
        assertField(() -> map(scim + "\"id\":\"u\",\"meta\":{\"lastModified\":\"13/05/2011\"}}"), "meta.lastModified");
    }

    @Test
    void nonObjectRecordIsReportedAsSuch() {
        assertThatThrownBy(() -> map("[1,2]"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("record is not a JSON object");
    }
}
