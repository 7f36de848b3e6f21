package com.commerceidentity.platform.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue #15 part 4: which access facts each Shopify shape shows, read from spec examples and spec-shaped samples. */
class ShopifyAccessMappingTest {
    private static final String EXAMPLES = "shopify/rest-admin-customer-examples-2025-07.json";
    private final ShopifyMapper mapper = new ShopifyMapper(new AccountNormalizer("US"));

    private Account map(JsonNode record, Surface surface) {
        return mapper.map("shop1", null, record, surface);
    }

    /** Bob Norman of the official single-customer example: state "disabled", tags "Léon, Noël". */
    private static ObjectNode bobNorman() {
        return (ObjectNode) SharedSpecs.json(EXAMPLES).get("examples").get(11).get("response_body").get("customer")
                .deepCopy();
    }

    @Test
    void aRestCustomerShowsItsStateAndItsCommaSeparatedTagsSplitAndTrimmed() {
        Access access = map(bobNorman(), Surface.REST).access();

        assertThat(access.state()).isEqualTo("disabled");
        assertThat(access.tags()).containsExactly("Léon", "Noël");
        assertThat(access.accountType()).isNull();
        assertThat(access.owner()).isNull();
        assertThat(access.roles()).isNull();
    }

    @Test
    void anEmptyTagStringIsShownAsNoTagsButAPayloadWithoutTagsShowsNone() {
        ObjectNode untagged = bobNorman().put("tags", "");
        ObjectNode webhook = bobNorman();
        webhook.remove("tags"); // customers/* webhooks since API 2025-01

        assertThat(map(untagged, Surface.REST).access().tags()).isEmpty();
        assertThat(map(webhook, Surface.WEBHOOK).access().tags())
                .as("not shown, so the graph keeps what it holds").isNull();
        assertThat(map(webhook, Surface.WEBHOOK).access().state()).isEqualTo("disabled");
    }

    @Test
    void aStaffMemberShowsItsAccountTypeAndWhetherItOwnsTheShop() {
        JsonNode owner = SharedSpecs.parse("""
                {"id": "gid://shopify/StaffMember/902541635", "firstName": "Ada", "lastName": "Lovelace",
                 "email": "ada@shop.example.com", "phone": null, "active": true, "accountType": "REGULAR",
                 "isShopOwner": true, "locale": "en"}""");
        JsonNode collaborator = SharedSpecs.parse("""
                {"id": "gid://shopify/StaffMember/902542648", "email": "dev@agency.example.com", "active": true,
                 "accountType": "COLLABORATOR", "isShopOwner": false}""");

        assertThat(map(owner, Surface.GRAPHQL).access())
                .isEqualTo(new Access("REGULAR", true, null, null, null, null));
        assertThat(map(collaborator, Surface.GRAPHQL).access())
                .isEqualTo(new Access("COLLABORATOR", false, null, null, null, null));
    }

    @Test
    void aScimUserShowsItsGroupsAsRolesByDisplayNameElseByValue() {
        JsonNode user = SharedSpecs.parse("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "902541635",
                 "userName": "ada@shop.example.com", "active": true,
                 "groups": [{"value": "staff", "display": "Staff", "type": "direct"},
                            {"value": "7c1f", "type": "indirect"}]}""");
        JsonNode withoutGroups = SharedSpecs.parse("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "902541636",
                 "userName": "bo@shop.example.com"}""");

        assertThat(map(user, Surface.SCIM).access().roles()).containsExactly("7c1f", "Staff");
        assertThat(map(withoutGroups, Surface.SCIM).access()).isEqualTo(Access.NONE);
    }

    @Test
    void everyExampleCustomerWithTagsShowsThemAsAList() {
        int tagged = 0;
        for (JsonNode example : SharedSpecs.json(EXAMPLES).get("examples")) {
            JsonNode c = example.get("response_body").path("customer");
            if (c.hasNonNull("id") && c.hasNonNull("tags") && !c.get("tags").asText().isEmpty()) {
                List<String> tags = map(c, Surface.REST).access().tags();
                assertThat(String.join(", ", tags)).isEqualTo(c.get("tags").asText());
                tagged++;
            }
        }
        assertThat(tagged).isPositive();
    }
}
