package com.commerceidentity.platform.bigcommerce;

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
import java.util.Objects;

/**
 * Maps a BigCommerce v3 {@code customer_Full} record. BigCommerce exposes no staff accounts through its API, so
 * only customers are mapped and a staff kind hint is an error.
 *
 * <p><b>Status</b>: always active. The v3 customer carries no state: a customer that exists can sign in
 * (channel login access is a separate resource), and a deleted one is gone from the API (its deletion arrives as
 * a {@code store/customer/deleted} webhook carrying only the id, which is not a record for this mapper).
 *
 * <p><b>Access facts</b>: the group, {@code customer_group_id} as given; {@code 0} is BigCommerce's own "in no group",
 * kept as such so that leaving a group reads as a change (null would read as "not shown" and keep the old group).
 * Webhooks carry ids only and are fetched through the same endpoint, so they map the same facts.
 *
 * <p><b>Version</b>: {@code date_modified}. <b>Email</b>: required, because BigCommerce requires it on
 * create and keeps it unique per store; a record without one is truncated, not a real customer.
 */
public final class BigCommerceMapper implements PlatformMapper {
    private static final Platform PLATFORM = Platform.of("bigcommerce");
    private final AccountNormalizer normalizer;

    public BigCommerceMapper(AccountNormalizer normalizer) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public Platform platform() {
        return PLATFORM;
    }

    @Override
    public Account map(String store, Kind kindHint, JsonNode record, Surface surface) {
        JsonRecord r = JsonRecord.of(record);
        if (kindHint == Kind.STAFF) {
            throw new MappingException(null, "BigCommerce has no staff accounts; only customers can be mapped");
        }
        String id = r.integerText("id");
        if (id == null) {
            throw new MappingException("id", "is required (the BigCommerce customer id)");
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.CUSTOMER, id))
                .email(r.requiredText("email"))
                .phone(r.text("phone"))
                .firstName(r.text("first_name"))
                .lastName(r.text("last_name"))
                .status(AccountStatus.ACTIVE)
                .createdAt(r.timestamp("date_created"))
                .updatedAt(r.timestamp("date_modified"))
                .surface(surface)
                .access(Access.NONE.withGroup(r.integerText("customer_group_id")))
                .build(normalizer);
    }
}
