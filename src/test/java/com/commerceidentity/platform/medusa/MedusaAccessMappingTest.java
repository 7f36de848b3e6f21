package com.commerceidentity.platform.medusa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.SharedSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 part 4: a Medusa invite ({@code GET /admin/invites}) is pending staff; users and customers show no access
 * facts. The samples are written from the spec's AdminInvite schema and checked against it first.
 */
class MedusaAccessMappingTest {
    private static final JsonNode SPEC = SharedSpecs.yaml("medusa/admin-identity-subset.openapi.yaml");
    private static final JsonSchema INVITE = SharedSpecs.schema(SPEC, "#/components/schemas/AdminInvite");
    private final MedusaMapper mapper = new MedusaMapper(new AccountNormalizer("US"));

    static final String PENDING = """
            {"id": "invite_01JAXQ9D3M5P7R9T1V3X5Z7B9C", "email": "New.Hire@Example.com", "accepted": false,
             "token": "eyJhbGciOiJIUzI1NiJ9.secret", "expires_at": "2024-10-26T10:00:00.000Z", "metadata": null,
             "created_at": "2024-10-25T10:00:00.000Z", "updated_at": "2024-10-25T10:00:00.000Z"}""";

    @Test
    void aPendingInviteIsAnInvitedStaffAccountKeyedByTheInviteId() {
        JsonNode record = SharedSpecs.parse(PENDING);
        assertThat(INVITE.validate(record)).isEmpty();

        Account a = mapper.map("shop", Kind.STAFF, record, Surface.REST);

        assertThat(a.key().toString()).isEqualTo("medusa:shop:staff:invite_01JAXQ9D3M5P7R9T1V3X5Z7B9C");
        assertThat(a.status()).isEqualTo(AccountStatus.INVITED);
        assertThat(a.email()).isEqualTo("new.hire@example.com");
        assertThat(a.access()).isEqualTo(Access.NONE.withAccountType("invite"));
        assertThat(a.version()).isEqualTo(Instant.parse("2024-10-25T10:00:00Z"));
        assertThat(a.toString()).as("the token is a credential").doesNotContain("secret");
    }

    @Test
    void anAcceptedInviteIsUsedUpAndMapsAsDeleted() {
        JsonNode record = SharedSpecs.parse(PENDING.replace("\"accepted\": false", "\"accepted\": true")
                .replace("\"updated_at\": \"2024-10-25T10:00:00.000Z\"", "\"updated_at\": \"2024-10-25T12:00:00.000Z\""));
        assertThat(INVITE.validate(record)).isEmpty();

        Account a = mapper.map("shop", null, record, Surface.REST);

        assertThat(a.status()).isEqualTo(AccountStatus.DELETED);
        assertThat(a.deletedAt()).isEqualTo(Instant.parse("2024-10-25T12:00:00Z"));
    }

    @Test
    void anInviteIsNeverACustomer() {
        assertThatThrownBy(() -> mapper.map("shop", Kind.CUSTOMER, SharedSpecs.parse(PENDING), Surface.REST))
                .isInstanceOf(MappingException.class).hasMessageContaining("invite");
    }

    @Test
    void usersAndCustomersShowNoAccessFacts() {
        assertThat(mapper.map("shop", null, SharedSpecs.parse(MedusaMapperTest.USER_SAMPLE), Surface.REST).access())
                .isEqualTo(Access.NONE);
        assertThat(mapper.map("shop", null, SharedSpecs.parse(MedusaMapperTest.CUSTOMER_SAMPLE), Surface.REST)
                .access()).isEqualTo(Access.NONE);
    }
}
