package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.graph.MatchPolicy;
import com.commerceidentity.model.AccountNormalizer;
import com.commerceidentity.sandbox.SeedGenerator;
import com.commerceidentity.sandbox.SeedPerson;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The sandbox demo shows linking: the people it seeds carry addresses the default blocklist lets match. */
class DemoDomainsTest {

    @Test
    void nearlyEverySeededEmailMayLinkAccountsUnderTheDefaultBlocklist() {
        MatchPolicy defaults = new MatchPolicy(false, MatchPolicy.list(GraphBeans.DEFAULT_BLOCKED_EMAILS), List.of());
        AccountNormalizer normalizer = new AccountNormalizer("US");
        List<String> emails = new SeedGenerator(42, 0.3, 200).people("shopify", 500).stream()
                .map(SeedPerson::email).filter(Objects::nonNull).map(normalizer::email).filter(Objects::nonNull)
                .toList();
        long usable = emails.stream().filter(defaults::emailUsable).count();
        assertThat(emails).hasSizeGreaterThan(400);
        assertThat(usable).as("seeded emails that may link accounts").isEqualTo(emails.size());
    }

    @Test
    void theSameSeedGivesTheSameDemoAddresses() {
        assertThat(new SeedGenerator(42).people("magento", 50)).isEqualTo(new SeedGenerator(42).people("magento", 50));
    }
}
