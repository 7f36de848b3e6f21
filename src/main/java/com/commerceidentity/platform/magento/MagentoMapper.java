package com.commerceidentity.platform.magento;

import com.commerceidentity.model.Access;
import com.commerceidentity.model.Account;
import com.commerceidentity.model.AccountKey;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.model.AccountStatus;
import com.commerceidentity.model.Kind;
import com.commerceidentity.model.MappingException;
import com.commerceidentity.model.Platform;
import com.commerceidentity.model.PlatformMapper;
import com.commerceidentity.model.Surface;
import com.commerceidentity.platform.JsonRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Maps Magento 2 customers ({@code customer-data-customer-interface}) and admin users.
 *
 * <p><b>Shapes</b>: a record with {@code username} or {@code user_id} is an admin user (staff; stock 2.4.8 has
 * no REST endpoint for them, so the shape is the {@code admin_user} table as list extensions return it:
 * {@code user_id, username, firstname, lastname, email, is_active, created, modified}); anything else is a
 * customer; a kind hint that contradicts the shape is an error. Keys: the customer {@code id}, the admin {@code user_id} (or {@code id} when an extension renames
 * it), as decimal text.
 *
 * <p><b>Status</b>: customer with a pending {@code confirmation} → invited (the account exists but cannot sign in
 * until the emailed link is followed, the same situation as a Shopify invite); other customers → active.
 * Admin user {@code is_active} 0 → disabled, 1 or absent → active. Magento deletes rows outright, so there is no
 * deleted state in a record.
 *
 * <p><b>Access facts</b>: a customer's {@code group_id} (the customer group, in the 2.4.8 schema) as the group; an
 * admin user's {@code role_name} as the only role (Magento gives each admin user one ACL role) when the module
 * that adds {@code /V1/users} includes it: the facts files describe no such field, so a record without it shows no
 * role rather than "no role".
 *
 * <p><b>Timestamps</b>: Magento's {@code 2024-01-01 10:00:00} UTC form (also ISO); version = {@code updated_at}
 * / {@code modified}. <b>Phone</b>: customers have none of their own; the {@code telephone} of the default
 * billing address (flag {@code default_billing} on the address, or the customer's {@code default_billing} id) is
 * used, and no phone when there is no default billing address. <b>Email</b>: required, as the swagger marks it
 * and Magento enforces it for both customers and admin users.
 */
public final class MagentoMapper implements PlatformMapper {
    private static final Platform PLATFORM = Platform.of("magento");
    private final AccountNormalizer normalizer;

    public MagentoMapper(AccountNormalizer normalizer) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public Platform platform() {
        return PLATFORM;
    }

    @Override
    public Account map(String store, Kind kindHint, JsonNode record, Surface surface) {
        JsonRecord r = JsonRecord.of(record);
        boolean adminShape = r.has("username") || r.has("user_id");
        Kind shape = adminShape ? Kind.STAFF : Kind.CUSTOMER;
        if (kindHint != null && kindHint != shape) {
            throw new MappingException(null, "kind hint is " + kindHint + " but the record has the "
                    + (adminShape ? "admin user shape (username/user_id)" : "customer shape (no username/user_id)"));
        }
        return adminShape ? adminUser(store, r, surface) : customer(store, r, surface);
    }

    private Account customer(String store, JsonRecord r, Surface surface) {
        String id = r.integerText("id");
        if (id == null) {
            throw new MappingException("id", "is required (the Magento customer id)");
        }
        String confirmation = r.text("confirmation");
        return Account.builder(new AccountKey(PLATFORM, store, Kind.CUSTOMER, id))
                .email(r.requiredText("email"))
                .phone(defaultBillingTelephone(r))
                .firstName(r.text("firstname"))
                .lastName(r.text("lastname"))
                .status(confirmation == null || confirmation.isBlank() ? AccountStatus.ACTIVE : AccountStatus.INVITED)
                .createdAt(r.timestamp("created_at"))
                .updatedAt(r.timestamp("updated_at"))
                .surface(surface)
                .access(Access.NONE.withGroup(r.integerText("group_id")))
                .build(normalizer);
    }

    private static String defaultBillingTelephone(JsonRecord r) {
        String billingId = r.integerText("default_billing");
        for (JsonRecord address : r.objects("addresses")) {
            boolean flagged = Boolean.TRUE.equals(address.bool("default_billing"));
            if (flagged || (billingId != null && billingId.equals(address.integerText("id")))) {
                return address.text("telephone");
            }
        }
        return null;
    }

    private Account adminUser(String store, JsonRecord r, Surface surface) {
        String id = r.has("user_id") ? r.integerText("user_id") : r.integerText("id");
        if (id == null) {
            throw new MappingException("id", "is required (user_id of the Magento admin user)");
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.STAFF, id))
                .email(r.requiredText("email"))
                .firstName(r.text("firstname"))
                .lastName(r.text("lastname"))
                .status(Boolean.FALSE.equals(r.flag("is_active")) ? AccountStatus.DISABLED : AccountStatus.ACTIVE)
                .createdAt(r.timestamp("created"))
                .updatedAt(r.timestamp("modified"))
                .surface(surface)
                .access(r.text("role_name") == null ? Access.NONE : Access.NONE.withRoles(List.of(r.text("role_name"))))
                .build(normalizer);
    }
}
