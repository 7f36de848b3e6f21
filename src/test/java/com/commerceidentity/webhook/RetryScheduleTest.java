package com.commerceidentity.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The back-off ops configure with app.webhooks.retry.*: when a failed event runs again, and when it is dead. */
class RetryScheduleTest {
    static final Instant NOW = Instant.parse("2026-11-26T02:00:00Z");

    private static List<Duration> delays(RetrySchedule schedule) {
        List<Duration> out = new ArrayList<>();
        for (int failures = 1; ; failures++) {
            Optional<Instant> next = schedule.next(failures, NOW);
            if (next.isEmpty()) {
                return out;
            }
            out.add(Duration.between(NOW, next.get()));
        }
    }

    @Test
    void theDefaultsDoubleFromFiveSecondsAndGiveUpAfterEightAttempts() {
        RetrySchedule defaults = new RetrySchedule(8, Duration.ofSeconds(5), Duration.ofHours(1));
        assertThat(delays(defaults)).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofSeconds(320));
    }

    @Test
    void theDelayStopsGrowingAtTheCapHoweverManyAttemptsAreAllowed() {
        RetrySchedule longRun = new RetrySchedule(100, Duration.ofSeconds(5), Duration.ofHours(1));
        List<Duration> delays = delays(longRun);
        assertThat(delays).hasSize(99);
        assertThat(delays.subList(0, 10)).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofSeconds(320),
                Duration.ofSeconds(640), Duration.ofSeconds(1280), Duration.ofSeconds(2560));
        assertThat(delays.subList(10, 99)).containsOnly(Duration.ofHours(1));
    }

    @Test
    void oneAttemptMeansNoRetryAndNonsenseSettingsAreRefusedByName() {
        assertThat(new RetrySchedule(1, Duration.ofSeconds(5), Duration.ofHours(1)).next(1, NOW)).isEmpty();
        assertThatThrownBy(() -> new RetrySchedule(0, Duration.ofSeconds(5), Duration.ofHours(1)))
                .hasMessageContaining("app.webhooks.retry.max-attempts");
        assertThatThrownBy(() -> new RetrySchedule(8, Duration.ofHours(2), Duration.ofHours(1)))
                .hasMessageContaining("max-delay-ms");
    }
}
