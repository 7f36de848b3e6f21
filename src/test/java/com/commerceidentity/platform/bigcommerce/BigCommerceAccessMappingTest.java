package com.commerceidentity.platform.bigcommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Issue #15 part 4: a BigCommerce customer shows its customer group, and nothing else about access. */
class BigCommerceAccessMappingTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("bigcommerce/customers.v3.yml");
    private final BigCommerceMapper mapper = new BigCommerceMapper(new AccountNormalizer("US"));

    /** The createCustomers request example of the spec ({@code customer_group_id: 0}), with the fields the server adds. */
    private static ObjectNode specCustomer() {
        JsonNode examples = SPEC.at("/paths/~1customers/post/requestBody/content/application~1json/examples");
        ObjectNode c = (ObjectNode) examples.elements().next().at("/value/0").deepCopy();
        c.put("id", 11);
        c.put("date_created", "2024-05-14T09:34:00Z");
        c.put("date_modified", "2024-05-15T10:00:00Z");
        return c;
    }

    @Test
    void theCustomerGroupIdIsTheGroupAndZeroIsBigCommercesOwnInNoGroup() {
        ObjectNode c = specCustomer();
        assertThat(c.get("customer_group_id").asInt()).as("the spec example").isZero();

        assertThat(mapper.map("store1", null, c, Surface.REST).access()).isEqualTo(Access.NONE.withGroup("0"));
        assertThat(mapper.map("store1", null, c.put("customer_group_id", 2), Surface.WEBHOOK).access().group())
                .isEqualTo("2");
    }

    @Test
    void aRecordWithoutTheFieldShowsNoGroup() {
        ObjectNode c = specCustomer();
        c.remove("customer_group_id");

        assertThat(mapper.map("store1", null, c, Surface.REST).access()).isEqualTo(Access.NONE);
    }
}
