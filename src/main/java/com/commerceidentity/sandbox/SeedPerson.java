package com.commerceidentity.sandbox;

import java.time.Instant;

/**
 * A platform-neutral person produced by {@link SeedGenerator}; each simulator turns it into its own record
 * shape. Any of {@code email}, {@code phone}, {@code company}, {@code firstName} may be null (missing field).
 *
 * @param index     position in the generated list (0-based)
 * @param shared    true when drawn from the cross-platform pool (same identity on every platform of a seed)
 * @param enabled   false for a minority of disabled accounts
 */
public record SeedPerson(int index, String firstName, String lastName, String email, String phone, String company,
                         Instant createdAt, Instant updatedAt, boolean shared, boolean enabled) {
}
