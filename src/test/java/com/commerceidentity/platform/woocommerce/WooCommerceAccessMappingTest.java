package com.commerceidentity.platform.woocommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Issue #15 part 4: a WooCommerce user shows its (first) WordPress role, from the docs' customer example. */
class WooCommerceAccessMappingTest {
    private final WooCommerceMapper mapper = new WooCommerceMapper(new AccountNormalizer("US"));

    private static ObjectNode docsCustomer() {
        return (ObjectNode) SharedSpecs.json("woocommerce/rest-examples.json").at("/customer_get/body").deepCopy();
    }

    @Test
    void theRoleIsTheOnlyRoleShownForCustomersAndStaffAlike() {
        Account customer = mapper.map("wp", null, docsCustomer(), Surface.REST);
        Account manager = mapper.map("wp", null, docsCustomer().put("role", "shop_manager"), Surface.WEBHOOK);

        assertThat(customer.access()).isEqualTo(Access.NONE.withRoles(java.util.List.of("customer")));
        assertThat(manager.key().kind()).isEqualTo(Kind.STAFF);
        assertThat(manager.access().roles()).containsExactly("shop_manager");
    }

    @Test
    void aRecordWithoutARoleShowsNone() {
        ObjectNode c = docsCustomer();
        c.remove("role");

        assertThat(mapper.map("wp", Kind.CUSTOMER, c, Surface.REST).access()).isEqualTo(Access.NONE);
    }
}
