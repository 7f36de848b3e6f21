package com.commerceidentity.platform;

import com.networknt.org.apache.commons.validator.routines.DomainValidator;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The sandbox seeds its people under the reserved {@code .test} top-level domain (RFC 6761): fictional, never
 * anyone's real address, and not on the default match blocklist the way {@code example.*} is. The schema
 * validator checks {@code format: email} against IANA's list of top-level domains, which leaves the reserved names
 * out; the platforms themselves (WordPress's {@code is_email}, Medusa's validation) check the address's shape, not
 * that list. So {@code .test} is added to the validator's list, once per test JVM, before any schema is read: the
 * validator only takes such an override before its first use. Every other format check stands.
 */
public final class ReservedDemoDomains implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        DomainValidator.updateTLDOverride(DomainValidator.ArrayType.GENERIC_PLUS, "test");
    }
}
