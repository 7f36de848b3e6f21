package com.commerceidentity.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SeedGeneratorTest {

    private final SeedGenerator generator = new SeedGenerator(42, 0.4, 50);

    @Test
    void sameSeedGivesSamePeople() {
        assertThat(new SeedGenerator(42, 0.4, 50).people("shopify", 50)).isEqualTo(generator.people("shopify", 50));
    }

    @Test
    void differentSeedGivesDifferentPeople() {
        assertThat(new SeedGenerator(43, 0.4, 50).people("shopify", 50)).isNotEqualTo(generator.people("shopify", 50));
    }

    @Test
    void sharedPoolMakesIdentitiesOverlapAcrossPlatforms() {
        Set<String> shopify = lowerEmails(generator.people("shopify", 200));
        Set<String> bigcommerce = lowerEmails(generator.people("bigcommerce", 200));
        shopify.retainAll(bigcommerce);
        assertThat(shopify).hasSizeGreaterThan(10);
    }

    @Test
    void noSharedShareMeansAlmostNoOverlap() {
        SeedGenerator isolated = new SeedGenerator(42, 0.0, 50);
        Set<String> a = lowerEmails(isolated.people("shopify", 100));
        Set<String> b = lowerEmails(isolated.people("bigcommerce", 100));
        a.retainAll(b);
        assertThat(a.size()).isLessThan(5);
    }

    @Test
    void emailsAreUniqueWithinAPlatformIgnoringCase() {
        List<SeedPerson> people = new SeedGenerator(42, 0.9, 20).people("shopify", 300);
        List<String> emails = people.stream().map(SeedPerson::email).filter(Objects::nonNull)
                .map(e -> e.toLowerCase(Locale.ROOT)).toList();
        assertThat(emails).doesNotHaveDuplicates();
    }

    @Test
    void emailsComeInMixedCase() {
        List<SeedPerson> people = generator.people("shopify", 200);
        assertThat(people).anyMatch(p -> p.email() != null && !p.email().equals(p.email().toLowerCase(Locale.ROOT)));
        assertThat(people).anyMatch(p -> p.email() != null && p.email().equals(p.email().toLowerCase(Locale.ROOT)));
    }

    @Test
    void someFieldsAreMissingAndPhonesComeInSeveralFormats() {
        List<SeedPerson> people = generator.people("shopify", 300);
        assertThat(people).anyMatch(p -> p.phone() == null);
        assertThat(people).anyMatch(p -> p.email() == null);
        assertThat(people).anyMatch(p -> p.phone() != null && p.phone().startsWith("+1 "));
        assertThat(people).anyMatch(p -> p.phone() != null && p.phone().startsWith("("));
        assertThat(people).anyMatch(p -> p.phone() != null && p.phone().startsWith("0044 "));
    }

    @Test
    void severalRecordsShareExactlyTheSameUpdatedAt() {
        List<SeedPerson> people = generator.people("shopify", 100);
        long distinct = people.stream().map(SeedPerson::updatedAt).distinct().count();
        assertThat(distinct).isLessThan(people.size());
        assertThat(people).allMatch(p -> !p.updatedAt().isBefore(p.createdAt()));
    }

    private static Set<String> lowerEmails(List<SeedPerson> people) {
        return people.stream().map(SeedPerson::email).filter(Objects::nonNull)
                .map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
