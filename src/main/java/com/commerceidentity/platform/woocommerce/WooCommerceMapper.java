package com.commerceidentity.platform.woocommerce;

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
import java.util.Set;

/**
 * Maps WooCommerce {@code wc/v3} customers: WordPress users, listed by role. {@code administrator} and
 * {@code shop_manager} are staff (they can run the shop); every other role is a customer.
 *
 * <p><b>Version</b>: {@code date_modified_gmt}, else {@code date_created_gmt} (WordPress leaves the modified date
 * empty on users who never changed). The {@code _gmt} fields are UTC without an offset; the others are in the
 * site's time zone, so they are never read. <b>Phone</b>: {@code billing.phone}. A user has no disabled state in
 * the API: every listed user is active; a deleted one disappears (see the staff and delete handling).
 *
 * <p><b>Access facts</b>: the {@code role} as the only role. WooCommerce reports the user's first WordPress role
 * only ({@code roles[0]}), so a second role is invisible. Administrator and shop manager are both staff, so a change
 * between them is an access change of one account; a customer made shop manager changes kind, which is another
 * account key (a staff account appears, the customer account is deleted by the next customer reconcile).
 * Webhook payloads are the same customer shape and map the same.
 */
public final class WooCommerceMapper implements PlatformMapper {
    static final Set<String> STAFF_ROLES = Set.of("administrator", "shop_manager");
    private static final Platform PLATFORM = Platform.of("woocommerce");
    private final AccountNormalizer normalizer;

    public WooCommerceMapper(AccountNormalizer normalizer) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public Platform platform() {
        return PLATFORM;
    }

    @Override
    public Account map(String store, Kind kindHint, JsonNode record, Surface surface) {
        JsonRecord r = JsonRecord.of(record);
        String id = r.integerText("id");
        if (id == null) {
            throw new MappingException("id", "is required (the WordPress user id)");
        }
        String role = r.text("role");
        Kind kind = role != null ? (STAFF_ROLES.contains(role) ? Kind.STAFF : Kind.CUSTOMER) : kindHint;
        if (kind == null) {
            throw new MappingException("role", "is missing, so customer and staff cannot be told apart");
        }
        String modified = WooTimes.text(record, "date_modified_gmt");
        return Account.builder(new AccountKey(PLATFORM, store, kind, id))
                .email(r.text("email"))
                .phone(record.path("billing").path("phone").asText(null))
                .firstName(r.text("first_name"))
                .lastName(r.text("last_name"))
                .status(AccountStatus.ACTIVE)
                .createdAt(WooTimes.parse("date_created_gmt", WooTimes.text(record, "date_created_gmt")))
                .updatedAt(WooTimes.parse("date_modified_gmt", modified != null ? modified
                        : WooTimes.text(record, "date_created_gmt")))
                .surface(surface)
                .access(role == null ? Access.NONE : Access.NONE.withRoles(List.of(role)))
                .build(normalizer);
    }
}
