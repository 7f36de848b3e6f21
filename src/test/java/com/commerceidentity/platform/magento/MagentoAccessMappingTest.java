package com.commerceidentity.platform.magento;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

/** Issue #15 part 4: a Magento customer shows its group; an admin user its ACL role where the module returns it. */
class MagentoAccessMappingTest {
    private static final JsonSchema CUSTOMER = SharedSpecs.schema(
            SharedSpecs.yaml("magento/admin-identity-subset-2.4.8.swagger.yaml"),
            "#/definitions/customer-data-customer-interface");
    private final MagentoMapper mapper = new MagentoMapper(new AccountNormalizer("US"));

    @Test
    void aCustomersGroupIdIsItsGroup() {
        JsonNode customer = SharedSpecs.parse(MagentoMapperTest.CUSTOMER_WITH_ADDRESSES);
        assertThat(CUSTOMER.validate(customer)).isEmpty();

        assertThat(mapper.map("eu", null, customer, Surface.REST).access()).isEqualTo(Access.NONE.withGroup("1"));
    }

    @Test
    void anAdminUserShowsItsRoleWhenTheModuleReturnsItAndNothingOtherwise() {
        JsonNode withRole = SharedSpecs.parse("""
                {"user_id": 3, "firstname": "Mo", "lastname": "Reyes", "email": "mo@example.com",
                 "username": "mreyes3", "is_active": 1, "role_name": "Administrators",
                 "created": "2024-01-01 10:00:00", "modified": "2024-02-01 10:00:00", "logdate": null}""");
        JsonNode withoutRole = SharedSpecs.parse("""
                {"user_id": 4, "email": "kim@example.com", "username": "kim4", "is_active": 1,
                 "modified": "2024-02-01 10:00:00"}""");

        assertThat(mapper.map("eu", null, withRole, Surface.REST).access().roles()).containsExactly("Administrators");
        assertThat(mapper.map("eu", null, withoutRole, Surface.REST).access()).isEqualTo(Access.NONE);
    }
}
