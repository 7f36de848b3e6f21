package com.commerceidentity.platform.medusa;

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
import java.time.Instant;
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
 * <p><b>Invites</b> ({@code AdminInvite}, id prefix {@code invite_}, or the {@code accepted} and {@code token} keys)
 * are pending staff: kind staff, status invited, access account type {@code invite}; key: the invite id. An
 * accepted invite is used up (Medusa soft-deletes it and creates a user with an id of its own), so it maps as
 * deleted. The invite's {@code token} is a credential and is never read. Users and customers show no access facts:
 * the Medusa v2 admin API of the facts files has no roles or permissions on users.
 *
 * <p><b>Version</b>: {@code updated_at}. <b>Email</b>: required for users (non-null in the User module); optional
 * for customers, whose email column is nullable in Medusa v2.
 */
public final class MedusaMapper implements PlatformMapper {
    private static final Platform PLATFORM = Platform.of("medusa");
    /** The access account type of a pending invite. */
    static final String INVITE = "invite";
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
        if (isInvite(id, r)) {
            requireStaff(kindHint, id);
            return invite(store, id, r, surface);
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

    private static boolean isInvite(String id, JsonRecord r) {
        return id.startsWith("invite_") || (r.hasKey("accepted") && r.hasKey("token"));
    }

    private static void requireStaff(Kind kindHint, String id) {
        if (kindHint == Kind.CUSTOMER) {
            throw new MappingException("id", "kind hint is customer but '" + id + "' is a user invite (staff)");
        }
    }

    private Account invite(String store, String id, JsonRecord r, Surface surface) {
        Instant updated = r.timestamp("updated_at");
        Instant deleted = r.timestamp("deleted_at");
        if (deleted == null && Boolean.TRUE.equals(r.bool("accepted"))) {
            deleted = updated != null ? updated : r.timestamp("created_at");
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.STAFF, id))
                .email(r.requiredText("email"))
                .status(AccountStatus.INVITED)
                .createdAt(r.timestamp("created_at"))
                .updatedAt(updated)
                .deletedAt(deleted)
                .surface(surface)
                .access(Access.NONE.withAccountType(INVITE))
                .build(normalizer);
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
