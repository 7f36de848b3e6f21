package com.commerceidentity.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One identity on one platform, in canonical form.
 *
 * @param version the source's own update timestamp; an older version never overwrites a newer one.
 *                Null when the source gives none (then arrival order decides).
 * @param access  what the account may do on its platform ({@link Access#NONE} when the platform shows nothing)
 */
public record Account(
        AccountKey key,
        String emailRaw,
        String email,
        String phoneRaw,
        String phone,
        String firstName,
        String lastName,
        AccountStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        Instant version,
        Surface surface,
        Access access) {

    public Account {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(surface, "surface");
        access = access == null ? Access.NONE : access;
    }

    /** An account whose platform shows no access facts. */
    public Account(AccountKey key, String emailRaw, String email, String phoneRaw, String phone, String firstName,
                   String lastName, AccountStatus status, Instant createdAt, Instant updatedAt, Instant deletedAt,
                   Instant version, Surface surface) {
        this(key, emailRaw, email, phoneRaw, phone, firstName, lastName, status, createdAt, updatedAt, deletedAt,
                version, surface, Access.NONE);
    }

    public static Builder builder(AccountKey key) {
        return new Builder(key);
    }

    /**
     * True when the two observations differ in nothing a feed consumer would see. Version and surface are
     * bookkeeping: a re-read of an unchanged record must emit nothing.
     */
    public boolean sameCanonicalContent(Account other) {
        return sameIdentityContent(other) && access.equals(other.access);
    }

    /** Like {@link #sameCanonicalContent} but blind to access: whether anything besides access changed. */
    public boolean sameIdentityContent(Account other) {
        return other != null
                && key.equals(other.key)
                && Objects.equals(emailRaw, other.emailRaw)
                && Objects.equals(phoneRaw, other.phoneRaw)
                && Objects.equals(firstName, other.firstName)
                && Objects.equals(lastName, other.lastName)
                && status == other.status
                && Objects.equals(createdAt, other.createdAt)
                && Objects.equals(deletedAt, other.deletedAt);
    }

    public boolean isDeleted() {
        return status == AccountStatus.DELETED;
    }

    public Account withVersionAndSurface(Instant newVersion, Surface newSurface) {
        return new Account(key, emailRaw, email, phoneRaw, phone, firstName, lastName, status, createdAt,
                updatedAt, deletedAt, newVersion, newSurface, access);
    }

    public Account withAccess(Access newAccess) {
        return new Account(key, emailRaw, email, phoneRaw, phone, firstName, lastName, status, createdAt,
                updatedAt, deletedAt, version, surface, newAccess);
    }

    /** Mutable builder used by the mappers; {@link #build(AccountNormalizer)} derives the normalized fields. */
    public static final class Builder {
        private final AccountKey key;
        private String emailRaw;
        private String phoneRaw;
        private String firstName;
        private String lastName;
        private AccountStatus status = AccountStatus.ACTIVE;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant deletedAt;
        private Instant version;
        private Surface surface = Surface.FILE;
        private Access access = Access.NONE;

        private Builder(AccountKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        public Builder email(String v) { this.emailRaw = blankToNull(v); return this; }
        public Builder phone(String v) { this.phoneRaw = blankToNull(v); return this; }
        public Builder firstName(String v) { this.firstName = blankToNull(v); return this; }
        public Builder lastName(String v) { this.lastName = blankToNull(v); return this; }
        public Builder status(AccountStatus v) { this.status = v; return this; }
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        public Builder updatedAt(Instant v) { this.updatedAt = v; return this; }
        public Builder deletedAt(Instant v) { this.deletedAt = v; return this; }
        /** Defaults to updatedAt when not set explicitly. */
        public Builder version(Instant v) { this.version = v; return this; }
        public Builder surface(Surface v) { this.surface = v; return this; }
        public Builder access(Access v) { this.access = v == null ? Access.NONE : v; return this; }

        public Account build(AccountNormalizer normalizer) {
            AccountStatus effective = deletedAt != null ? AccountStatus.DELETED : status;
            return new Account(key, emailRaw, normalizer.email(emailRaw), phoneRaw, normalizer.phone(phoneRaw),
                    firstName, lastName, effective, createdAt, updatedAt, deletedAt,
                    version != null ? version : updatedAt, surface, access);
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v;
        }
    }
}
