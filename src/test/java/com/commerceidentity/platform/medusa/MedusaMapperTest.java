package com.commerceidentity.platform.medusa;

import static com.commerceidentity.platform.MappingAssertions.assertConforms;
import static com.commerceidentity.platform.MappingAssertions.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.commerceidentity.sandbox.RecordControl;
import com.commerceidentity.sandbox.SandboxSettings;
import com.commerceidentity.sandbox.medusa.MedusaSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The Medusa spec subset has no customer or user examples, so the samples are written from its AdminCustomer and
 * AdminUser schemas and checked against them before they are mapped.
 */
class MedusaMapperTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("medusa/admin-identity-subset.openapi.yaml");
    private static final JsonSchema CUSTOMER = SharedSpecs.schema(SPEC, "#/components/schemas/AdminCustomer");
    private static final JsonSchema USER = SharedSpecs.schema(SPEC, "#/components/schemas/AdminUser");
    private final MedusaMapper mapper = new MedusaMapper(new AccountNormalizer("US"));

    static final String CUSTOMER_SAMPLE = """
            {"id": "cus_01JAXQ6Y8W2V9ZK3H5T7R1M4PN", "has_account": true, "email": "Ana.Silva@Example.com",
             "default_billing_address_id": null, "default_shipping_address_id": null, "company_name": null,
             "first_name": "Ana", "last_name": "Silva", "addresses": [], "phone": "+351 912 345 678",
             "groups": [], "metadata": null, "created_by": null,
             "created_at": "2024-10-24T10:00:00.000Z", "updated_at": "2024-10-25T11:30:00.250Z", "deleted_at": null}""";

    static final String USER_SAMPLE = """
            {"id": "user_01JAXQ7C5N8B2F6D4G0H3J9K1L", "email": "admin@medusa-test.com", "first_name": "Admin",
             "last_name": "User", "avatar_url": null, "metadata": null,
             "created_at": "2024-10-20T09:00:00.000Z", "updated_at": "2024-10-21T09:00:00.000Z", "deleted_at": null}""";

    private Account map(String json) {
        return mapper.map("eu", null, SharedSpecs.parse(json), Surface.REST);
    }

    @Test
    void customerBuiltFromTheSpecSchemaMapsEveryField() {
        assertConforms(CUSTOMER, SharedSpecs.parse(CUSTOMER_SAMPLE));
        Account a = map(CUSTOMER_SAMPLE);
        assertThat(a.key().toString()).isEqualTo("medusa:eu:customer:cus_01JAXQ6Y8W2V9ZK3H5T7R1M4PN");
        assertThat(a.email()).isEqualTo("ana.silva@example.com");
        assertThat(a.phone()).isEqualTo("+351912345678");
        assertThat(a.firstName()).isEqualTo("Ana");
        assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2024-10-24T10:00:00Z"));
        assertThat(a.version()).isEqualTo(Instant.parse("2024-10-25T11:30:00.250Z"));
        assertThat(a.deletedAt()).isNull();
    }

    @Test
    void userBuiltFromTheSpecSchemaIsStaff() {
        assertConforms(USER, SharedSpecs.parse(USER_SAMPLE));
        Account a = map(USER_SAMPLE);
        assertThat(a.key().toString()).isEqualTo("medusa:eu:staff:user_01JAXQ7C5N8B2F6D4G0H3J9K1L");
        assertThat(a.email()).isEqualTo("admin@medusa-test.com");
        assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(a.version()).isEqualTo(Instant.parse("2024-10-21T09:00:00Z"));
    }

    @Test
    void schemaCheckOfTheSamplesRejectsWhatTheSpecForbids() {
        assertThat(CUSTOMER.validate(SharedSpecs.parse(CUSTOMER_SAMPLE.replace("\"has_account\": true,", "")))).isNotEmpty();
        assertThat(USER.validate(SharedSpecs.parse(USER_SAMPLE.replace("\"email\": \"admin@medusa-test.com\"",
                "\"email\": 7")))).isNotEmpty();
    }

    @Test
    void everyRecordOfTheMedusaSimulatorMaps() {
        MedusaSimulator simulator = new MedusaSimulator(SandboxSettings.defaults().with("medusa.customers", "80"));
        for (JsonNode c : simulator.records().list(RecordControl.CUSTOMER)) {
            assertConforms(CUSTOMER, c);
            Account a = mapper.map("eu", null, c, Surface.REST);
            assertThat(a.key().toString()).isEqualTo("medusa:eu:customer:" + c.get("id").asText());
            assertThat(a.status()).isEqualTo(c.get("has_account").asBoolean() ? AccountStatus.ACTIVE : AccountStatus.DISABLED);
            assertThat(a.version()).isEqualTo(Instant.parse(c.get("updated_at").asText()));
        }
        for (JsonNode u : simulator.records().list(RecordControl.STAFF)) {
            assertConforms(USER, u);
            assertThat(mapper.map("eu", null, u, Surface.REST).key().kind()).isEqualTo(Kind.STAFF);
        }
    }

    @Test
    void softDeletedRecordsAreDeleted() {
        String deletedUser = USER_SAMPLE.replace("\"deleted_at\": null", "\"deleted_at\": \"2024-11-01T00:00:00.000Z\"");
        assertConforms(USER, SharedSpecs.parse(deletedUser));
        Account a = map(deletedUser);
        assertThat(a.status()).isEqualTo(AccountStatus.DELETED);
        assertThat(a.deletedAt()).isEqualTo(Instant.parse("2024-11-01T00:00:00Z"));
        String deletedGuest = CUSTOMER_SAMPLE.replace("\"deleted_at\": null", "\"deleted_at\": \"2024-11-01T00:00:00Z\"")
                .replace("\"has_account\": true", "\"has_account\": false");
        assertThat(map(deletedGuest).status()).isEqualTo(AccountStatus.DELETED);
    }

    @Test
    void guestCustomerWithoutAccountIsDisabled() {
        String guest = CUSTOMER_SAMPLE.replace("\"has_account\": true", "\"has_account\": false");
        assertConforms(CUSTOMER, SharedSpecs.parse(guest));
        assertThat(map(guest).status()).isEqualTo(AccountStatus.DISABLED);
    }

    @Test
    void customerWithoutEmailIsAllowed() {
        Account a = map("{\"id\": \"cus_1\", \"email\": null, \"has_account\": false}");
        assertThat(a.email()).isNull();
    }

    @Test
    void kindComesFromTheIdPrefixThenTheShape() {
        assertThat(map("{\"id\": \"cus_1\"}").key().kind()).isEqualTo(Kind.CUSTOMER);
        assertThat(map("{\"id\": \"user_1\", \"email\": \"u@example.com\"}").key().kind()).isEqualTo(Kind.STAFF);
        assertThat(map("{\"id\": \"imported-7\", \"has_account\": true}").key().kind()).isEqualTo(Kind.CUSTOMER);
        assertThat(map("{\"id\": \"imported-8\", \"email\": \"u@example.com\", \"avatar_url\": null}").key().kind())
                .isEqualTo(Kind.STAFF);
        assertThat(map("{\"id\": \"imported-8\", \"email\": \"u@example.com\", \"avatar_url\": \"https://x/a.png\"}")
                .key().kind()).isEqualTo(Kind.STAFF);
        assertThat(mapper.map("eu", Kind.STAFF, SharedSpecs.parse("{\"id\": \"imported-9\", \"email\": \"u@example.com\"}"),
                Surface.REST).key().kind()).isEqualTo(Kind.STAFF);
    }

    @Test
    void hintContradictingTheIdPrefixIsRejected() {
        assertField(() -> mapper.map("eu", Kind.STAFF, SharedSpecs.parse(CUSTOMER_SAMPLE), Surface.REST), "id");
        assertField(() -> mapper.map("eu", Kind.CUSTOMER, SharedSpecs.parse(USER_SAMPLE), Surface.REST), "id");
    }

    @Test
    void eachValidationErrorNamesTheField() {
        assertField(() -> map("null"), null);
        assertField(() -> map("{\"email\": \"a@example.com\"}"), "id");
        assertField(() -> map("{\"id\": 12}"), "id");
        assertField(() -> map("{\"id\": \"imported-1\"}"), "id");
        assertField(() -> map("{\"id\": \"user_1\"}"), "email");
        assertField(() -> map("{\"id\": \"cus_1\", \"email\": 3}"), "email");
        assertField(() -> map("{\"id\": \"cus_1\", \"has_account\": \"yes\"}"), "has_account");
        assertField(() -> map("{\"id\": \"cus_1\", \"phone\": {\"number\": \"1\"}}"), "phone");
        assertField(() -> map("{\"id\": \"cus_1\", \"deleted_at\": \"soon\"}"), "deleted_at");
    }
}
