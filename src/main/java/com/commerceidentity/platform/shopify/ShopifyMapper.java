package com.commerceidentity.platform.shopify;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Maps the three Shopify shapes that carry identities.
 *
 * <p><b>Shapes</b>, recognised in this order when no kind hint is given:
 * <ol>
 *   <li>SCIM 2.0 User ({@code schemas} contains {@value #SCIM_USER}) → staff. Key: the SCIM {@code id} as given.</li>
 *   <li>GraphQL StaffMember ({@code id} is a {@code gid://shopify/StaffMember/} gid, or the object has
 *       {@code accountType}) → staff. Key: the gid exactly as given. The API has no update timestamp, so
 *       version is null and arrival order decides.</li>
 *   <li>REST customer (numeric {@code id}) → customer. Key: the id's decimal text, read from its own token
 *       and never through a double (ids exceed 2^53).</li>
 * </ol>
 * A kind hint that contradicts the shape is an error: mapping a customer as staff would grant it a staff key.
 *
 * <p><b>Status</b>:
 * <ul>
 *   <li>REST {@code state}: enabled → active; disabled → disabled (this is also the state of guest customers
 *       created at checkout); invited → invited; declined → disabled (the customer refused the invitation, so
 *       there is no usable account). No state (a {@code fields=} projection) → active. Any other value is an
 *       error naming {@code state}, so a new Shopify state is noticed instead of guessed.</li>
 *   <li>StaffMember: accountType INVITED or REQUESTED → invited (access pending, not yet usable; this wins over
 *       {@code active=false} because a pending invite is the more specific fact); otherwise active=false →
 *       disabled; otherwise active.</li>
 *   <li>SCIM: active=false → disabled, otherwise active.</li>
 * </ul>
 *
 * <p><b>Access facts</b> (see docs/platforms/shopify.md, "Access facts"):
 * <ul>
 *   <li>REST customer: {@code state} as given (lower case) and {@code tags}, a comma-separated string, split and
 *       trimmed. A payload without the key (customer webhooks since API 2025-01, a {@code fields=} projection)
 *       shows no tags: null, so the graph keeps the tags it holds.</li>
 *   <li>StaffMember: {@code accountType} and {@code isShopOwner}. Permissions are not read: they are not in the
 *       facts we hold about the Admin API.</li>
 *   <li>SCIM User: {@code groups[].display} (else {@code value}) as roles; no {@code groups} key: not shown.</li>
 * </ul>
 *
 * <p><b>Email</b>: optional for REST customers (Shopify allows phone-only customers) and SCIM users (SCIM
 * {@code emails} is optional; a {@code userName} holding an address is used instead). Required for StaffMember,
 * whose {@code email} is non-null in the Admin GraphQL schema.
 */
public final class ShopifyMapper implements PlatformMapper {
    private static final Platform PLATFORM = Platform.of("shopify");
    static final String SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String STAFF_GID = "gid://shopify/StaffMember/";

    private final AccountNormalizer normalizer;

    public ShopifyMapper(AccountNormalizer normalizer) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public Platform platform() {
        return PLATFORM;
    }

    @Override
    public Account map(String store, Kind kindHint, JsonNode record, Surface surface) {
        JsonRecord r = JsonRecord.of(record);
        if (r.texts("schemas").contains(SCIM_USER)) {
            requireKind(kindHint, Kind.STAFF, "a SCIM User");
            return scimUser(store, r, surface);
        }
        if (isStaffMember(r)) {
            requireKind(kindHint, Kind.STAFF, "a GraphQL StaffMember");
            return staffMember(store, r, surface);
        }
        requireKind(kindHint, Kind.CUSTOMER, "a REST customer");
        return restCustomer(store, r, surface);
    }

    private static boolean isStaffMember(JsonRecord r) {
        return r.has("accountType") || (r.isText("id") && r.text("id").startsWith(STAFF_GID));
    }

    private Account restCustomer(String store, JsonRecord r, Surface surface) {
        String id = r.integerText("id");
        if (id == null) {
            throw new MappingException("id", "is required (a Shopify customer id)");
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.CUSTOMER, id))
                .email(r.text("email"))
                .phone(r.text("phone"))
                .firstName(r.text("first_name"))
                .lastName(r.text("last_name"))
                .status(restState(r.text("state")))
                .createdAt(r.timestamp("created_at"))
                .updatedAt(r.timestamp("updated_at"))
                .surface(surface)
                .access(customerAccess(r))
                .build(normalizer);
    }

    private static Access customerAccess(JsonRecord r) {
        String state = r.text("state");
        List<String> tags = null;
        if (r.hasKey("tags")) {
            String joined = r.text("tags");
            tags = joined == null ? List.of() : Arrays.asList(joined.split(","));
        }
        return new Access(null, null, null, state == null ? null : state.toLowerCase(Locale.ROOT), tags, null);
    }

    private static AccountStatus restState(String state) {
        if (state == null) {
            return AccountStatus.ACTIVE;
        }
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "enabled" -> AccountStatus.ACTIVE;
            case "disabled", "declined" -> AccountStatus.DISABLED;
            case "invited" -> AccountStatus.INVITED;
            default -> throw new MappingException("state",
                    "unknown Shopify customer state '" + state + "' (known: enabled, disabled, invited, declined)");
        };
    }

    private Account staffMember(String store, JsonRecord r, Surface surface) {
        String id = r.text("id");
        if (id == null || id.isBlank()) {
            throw new MappingException("id", "is required (a gid://shopify/StaffMember/... id)");
        }
        String accountType = r.text("accountType");
        Boolean active = r.bool("active");
        AccountStatus status;
        if ("INVITED".equals(accountType) || "REQUESTED".equals(accountType)) {
            status = AccountStatus.INVITED;
        } else if (Boolean.FALSE.equals(active)) {
            status = AccountStatus.DISABLED;
        } else {
            status = AccountStatus.ACTIVE;
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.STAFF, id))
                .email(r.requiredText("email"))
                .phone(r.text("phone"))
                .firstName(r.text("firstName"))
                .lastName(r.text("lastName"))
                .status(status)
                .surface(surface)
                .access(new Access(accountType, r.bool("isShopOwner"), null, null, null, null))
                .build(normalizer);
    }

    private Account scimUser(String store, JsonRecord r, Surface surface) {
        String id = r.text("id");
        if (id == null || id.isBlank()) {
            throw new MappingException("id", "is required (the SCIM resource id)");
        }
        JsonRecord name = r.object("name");
        JsonRecord meta = r.object("meta");
        String email = primaryValue(r.objects("emails"));
        String userName = r.text("userName");
        if (email == null && userName != null && userName.contains("@")) {
            email = userName;
        }
        return Account.builder(new AccountKey(PLATFORM, store, Kind.STAFF, id))
                .email(email)
                .phone(primaryValue(r.objects("phoneNumbers")))
                .firstName(name == null ? null : name.text("givenName"))
                .lastName(name == null ? null : name.text("familyName"))
                .status(Boolean.FALSE.equals(r.bool("active")) ? AccountStatus.DISABLED : AccountStatus.ACTIVE)
                .createdAt(meta == null ? null : meta.timestamp("created"))
                .updatedAt(meta == null ? null : meta.timestamp("lastModified"))
                .surface(surface)
                .access(r.hasKey("groups") ? Access.NONE.withRoles(scimGroups(r.objects("groups"))) : Access.NONE)
                .build(normalizer);
    }

    /** RFC 7643 §4.1.2: each group's {@code display} name, else its {@code value} (the group's id). */
    private static List<String> scimGroups(List<JsonRecord> groups) {
        List<String> out = new ArrayList<>();
        for (JsonRecord g : groups) {
            String name = g.text("display") != null ? g.text("display") : g.text("value");
            if (name == null) {
                throw new MappingException(g.path("value"), "a SCIM group needs a display name or a value");
            }
            out.add(name);
        }
        return out;
    }

    /** SCIM multi-valued attribute: the entry marked primary, else the first one (RFC 7643 §2.4). */
    private static String primaryValue(List<JsonRecord> values) {
        String first = null;
        for (JsonRecord v : values) {
            String value = v.text("value");
            if (Boolean.TRUE.equals(v.bool("primary")) && value != null) {
                return value;
            }
            if (first == null) {
                first = value;
            }
        }
        return first;
    }

    private static void requireKind(Kind hint, Kind shape, String what) {
        if (hint != null && hint != shape) {
            throw new MappingException(null, "kind hint is " + hint + " but the record is " + what + " (" + shape + ")");
        }
    }
}
