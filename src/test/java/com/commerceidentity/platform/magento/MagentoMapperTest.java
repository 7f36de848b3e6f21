package com.commerceidentity.platform.magento;

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
import com.commerceidentity.sandbox.magento.MagentoSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Magento swagger has no customer examples, so the samples here are written from its
 * {@code customer-data-customer-interface} definition and checked against it before they are mapped.
 */
class MagentoMapperTest {
    private static final JsonSchema CUSTOMER = SharedSpecs.schema(
            SharedSpecs.yaml("magento/admin-identity-subset-2.4.8.swagger.yaml"),
            "#/definitions/customer-data-customer-interface");
    private final MagentoMapper mapper = new MagentoMapper(new AccountNormalizer("US"));

    static final String CUSTOMER_WITH_ADDRESSES = """
            {"id": 17, "group_id": 1, "default_billing": "8", "default_shipping": "9",
             "created_at": "2024-01-01 10:00:00", "updated_at": "2024-03-05 08:15:30", "created_in": "Default Store View",
             "email": "Veronica.Costello@Example.com", "firstname": "Veronica", "lastname": "Costello",
             "middlename": null, "gender": 2, "store_id": 1, "website_id": 1, "disable_auto_group_change": 0,
             "addresses": [
               {"id": 9, "customer_id": 17, "region_id": 33, "country_id": "US", "street": ["6146 Honey Bluff Parkway"],
                "telephone": "(555) 229-3326", "postcode": "49628-7978", "city": "Calder", "firstname": "Veronica",
                "lastname": "Costello", "default_shipping": true},
               {"id": 8, "customer_id": 17, "region_id": 33, "country_id": "US", "street": ["1 Billing Way"],
                "telephone": "(555) 229-1000", "postcode": "49628", "city": "Calder", "firstname": "Veronica",
                "lastname": "Costello", "default_billing": true}
             ],
             "extension_attributes": {"is_subscribed": false}}""";

    private Account map(String json) {
        return mapper.map("eu", null, SharedSpecs.parse(json), Surface.REST);
    }

    @Test
    void customerBuiltFromTheSwaggerDefinitionMapsEveryField() {
        JsonNode sample = SharedSpecs.parse(CUSTOMER_WITH_ADDRESSES);
        assertConforms(CUSTOMER, sample);
        Account a = mapper.map("eu", null, sample, Surface.REST);
        assertThat(a.key().toString()).isEqualTo("magento:eu:customer:17");
        assertThat(a.email()).isEqualTo("veronica.costello@example.com");
        assertThat(a.phoneRaw()).isEqualTo("(555) 229-1000");
        assertThat(a.phone()).isEqualTo("+15552291000");
        assertThat(a.firstName()).isEqualTo("Veronica");
        assertThat(a.lastName()).isEqualTo("Costello");
        assertThat(a.status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(a.version()).isEqualTo(Instant.parse("2024-03-05T08:15:30Z"));
    }

    @Test
    void schemaCheckOfTheSamplesRejectsWhatTheSpecForbids() {
        assertThat(CUSTOMER.validate(SharedSpecs.parse("{\"id\": \"17\", \"email\": \"a@example.com\", "
                + "\"firstname\": \"A\", \"lastname\": \"B\"}"))).isNotEmpty();
        assertThat(CUSTOMER.validate(SharedSpecs.parse("{\"id\": 17, \"firstname\": \"A\", \"lastname\": \"B\"}")))
                .isNotEmpty();
    }

    @Test
    void defaultBillingIsFoundByTheCustomersAddressIdWhenTheAddressHasNoFlag() {
        String json = """
                {"id": 3, "email": "a@example.com", "firstname": "A", "lastname": "B", "default_billing": "21",
                 "addresses": [{"id": 20, "telephone": "+1 202 555 0100"}, {"id": 21, "telephone": "+1 202 555 0199"}]}""";
        assertConforms(CUSTOMER, SharedSpecs.parse(json));
        assertThat(map(json).phone()).isEqualTo("+12025550199");
    }

    @Test
    void customerWithoutDefaultBillingAddressHasNoPhone() {
        String json = """
                {"id": 3, "email": "a@example.com", "firstname": "A", "lastname": "B",
                 "addresses": [{"id": 20, "telephone": "+1 202 555 0100", "default_shipping": true}]}""";
        assertConforms(CUSTOMER, SharedSpecs.parse(json));
        assertThat(map(json).phone()).isNull();
    }

    @Test
    void customerAwaitingEmailConfirmationIsInvited() {
        String json = """
                {"id": 4, "email": "new@example.com", "firstname": "N", "lastname": "C",
                 "confirmation": "b8f3c2a1d4e5f6a7b8c9d0e1f2a3b4c5", "created_at": "2024-02-01 00:00:00"}""";
        assertConforms(CUSTOMER, SharedSpecs.parse(json));
        assertThat(map(json).status()).isEqualTo(AccountStatus.INVITED);
    }

    @Test
    void everyRecordOfTheMagentoSimulatorMaps() {
        MagentoSimulator simulator = new MagentoSimulator(SandboxSettings.defaults().with("magento.customers", "80"));
        List<JsonNode> customers = simulator.records().list(RecordControl.CUSTOMER);
        for (JsonNode c : customers) {
            assertConforms(CUSTOMER, c);
            Account a = mapper.map("eu", null, c, Surface.REST);
            assertThat(a.key().toString()).isEqualTo("magento:eu:customer:" + c.get("id").asText());
            assertThat(a.status()).isEqualTo(c.has("confirmation") ? AccountStatus.INVITED : AccountStatus.ACTIVE);
            assertThat(a.phoneRaw()).isEqualTo(c.path("addresses").path(0).path("telephone").textValue());
        }
        assertThat(customers).extracting(c -> mapper.map("eu", null, c, Surface.REST).phone())
                .filteredOn(phone -> phone != null && phone.startsWith("+")).isNotEmpty();
        for (JsonNode admin : simulator.records().list(RecordControl.STAFF)) {
            assertThat(mapper.map("eu", null, admin, Surface.REST).key().kind()).isEqualTo(Kind.STAFF);
        }
    }

    @Test
    void adminUserIsStaffAndIsActiveZeroIsDisabled() {
        Account a = map("""
                {"user_id": 2, "username": "jdoe", "firstname": "John", "lastname": "Doe", "email": "JDoe@Example.com",
                 "is_active": 0, "created": "2023-06-01 12:00:00", "modified": "2024-06-01 12:30:00"}""");
        assertThat(a.key().toString()).isEqualTo("magento:eu:staff:2");
        assertThat(a.email()).isEqualTo("jdoe@example.com");
        assertThat(a.status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2023-06-01T12:00:00Z"));
        assertThat(a.version()).isEqualTo(Instant.parse("2024-06-01T12:30:00Z"));
    }

    @Test
    void isActiveAcceptsNumberDigitStringAndBoolean() {
        String base = "{\"user_id\": 2, \"username\": \"u\", \"email\": \"u@example.com\", \"is_active\": ";
        assertThat(map(base + "1}").status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(map(base + "\"1\"}").status()).isEqualTo(AccountStatus.ACTIVE);
        assertThat(map(base + "\"0\"}").status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(map(base + "false}").status()).isEqualTo(AccountStatus.DISABLED);
        assertField(() -> map(base + "2}"), "is_active");
    }

    @Test
    void kindIsRecognisedByShapeAndAContradictingHintIsRejected() {
        JsonNode admin = SharedSpecs.parse("{\"user_id\": 2, \"username\": \"u\", \"email\": \"u@example.com\"}");
        JsonNode customer = SharedSpecs.parse("{\"id\": 2, \"email\": \"c@example.com\"}");
        assertThat(mapper.map("eu", null, admin, Surface.REST).key().kind()).isEqualTo(Kind.STAFF);
        assertThat(mapper.map("eu", null, customer, Surface.REST).key().kind()).isEqualTo(Kind.CUSTOMER);
        assertThat(mapper.map("eu", Kind.STAFF, admin, Surface.REST).key().kind()).isEqualTo(Kind.STAFF);
        assertField(() -> mapper.map("eu", Kind.STAFF, customer, Surface.REST), null);
        assertField(() -> mapper.map("eu", Kind.CUSTOMER, admin, Surface.REST), null);
    }

    @Test
    void eachValidationErrorNamesTheField() {
        assertField(() -> map("42"), null);
        assertField(() -> map("{\"email\": \"a@example.com\"}"), "id");
        assertField(() -> map("{\"username\": \"u\", \"email\": \"a@example.com\"}"), "id");
        assertField(() -> map("{\"id\": 1}"), "email");
        assertField(() -> map("{\"id\": 1, \"email\": [\"a@example.com\"]}"), "email");
        assertField(() -> map("{\"id\": 1, \"email\": \"a@example.com\", \"firstname\": 5}"), "firstname");
        assertField(() -> map("{\"id\": 1, \"email\": \"a@example.com\", \"updated_at\": \"01.03.2024\"}"), "updated_at");
        assertField(() -> map("{\"id\": 1, \"email\": \"a@example.com\", \"addresses\": {}}"), "addresses");
        assertField(() -> map("{\"id\": 1, \"email\": \"a@example.com\", \"addresses\": "
                + "[{\"id\": 2, \"default_billing\": true, \"telephone\": 5552291000}]}"), "addresses[0].telephone");
        assertField(() -> map("{\"user_id\": 2, \"username\": \"u\", \"email\": \"u@example.com\", \"modified\": \"now\"}"),
                "modified");
    }
}
