package com.commerceidentity.platform.medusa;

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
import java.util.Objects;

/**
 * Maps Medusa v2 {@code AdminCustomer} and {@code AdminUser} records.
 *
 * <p><b>Kind</b>: by id prefix first ({@code cus_} customer, {@code user_} user, as Medusa generates them), then
 * by shape, i.e. which keys are present even as null ({@code has_account}, {@code addresses} or
 * {@code company_name} → customer; {@code avatar_url} → user). A kind hint that contradicts the id prefix is an error. Key: the id string as given.
 *
 * <p><b>Status</b>: {@code deleted_at} set → deleted (soft delete; the canonical builder applies it). Customer
 * with {@code has_account=false} → disabled: it is a guest created at checkout that cannot sign in, which is
 * exactly what Shopify reports as {@code state: disabled}, so both platforms' guests look alike in the feed.
 * Everything else → active.
 *
 * <p><b>Version</b>: {@code updated_at}. <b>Email</b>: required for users (non-null in the User module); optional
 * for customers, whose email column is nullable in Medusa v2.
 */
public final class MedusaMapper implements PlatformMapper {
    private static final Platform PLATFORM = Platform.of("medusa");
    private final AccountNormalizer normalizer;

    public MedusaMapper(AccountNormalizer normalizer) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public Platform platform() {
        return PLATFORM;
    }

    @Override
    public Account map(String store, Kind kindHint, JsonNode record, Surface surface) {
        JsonRecord r = JsonRecord.of(record);
        String id = r.text("id");
        if (id == null || id.isBlank()) {
            throw new MappingException("id", "is required (a cus_... or user_... id)");
        }
        Kind kind = kindOf(id, r);
        if (kind == null) {
            if (kindHint == null) {
                throw new MappingException("id", "cannot tell customer from user: '" + id
                        + "' has neither the cus_ nor the user_ prefix and the record has no customer/user fields");
            }
            kind = kindHint;
        } else if (kindHint != null && kindHint != kind) {
            throw new MappingException("id", "kind hint is " + kindHint + " but '" + id + "' is a " + kind + " id");
        }
        Account.Builder b = Account.builder(new AccountKey(PLATFORM, store, kind, id))
                .firstName(r.text("first_name"))
                .lastName(r.text("last_name"))
                .createdAt(r.timestamp("created_at"))
                .updatedAt(r.timestamp("updated_at"))
                .deletedAt(r.timestamp("deleted_at"))
                .surface(surface);
        if (kind == Kind.CUSTOMER) {
            b.email(r.text("email"))
                    .phone(r.text("phone"))
                    .status(Boolean.FALSE.equals(r.bool("has_account")) ? AccountStatus.DISABLED : AccountStatus.ACTIVE);
        } else {
            b.email(r.requiredText("email"));
        }
        return b.build(normalizer);
    }

    private static Kind kindOf(String id, JsonRecord r) {
        if (id.startsWith("cus_")) {
            return Kind.CUSTOMER;
        }
        if (id.startsWith("user_")) {
            return Kind.STAFF;
        }
        if (r.hasKey("has_account") || r.hasKey("addresses") || r.hasKey("company_name")) {
            return Kind.CUSTOMER;
        }
        if (r.hasKey("avatar_url")) {
            return Kind.STAFF;
        }
        return null;
    }
}
