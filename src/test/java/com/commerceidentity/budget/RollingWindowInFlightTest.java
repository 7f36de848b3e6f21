package com.commerceidentity.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several requests of ours in flight beside another app, on a clock the test moves: what an answer says is
 * already old for the requests still on their way, and the budget keeps room for the other app instead of
 * spending the slots it is about to take (issue #16: 429s with three pages in flight and a co-tenant).
 */
class RollingWindowInFlightTest {
    long now = TimeUnit.SECONDS.toNanos(1000);
    final RollingWindowBudget budget = new RollingWindowBudget(10, 30_000, () -> now);

    void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    static ResponseSignals left(long now, int left) {
        return new ResponseSignals(200, LimitSignals.NONE.withWindow(new LimitSignals.Window(OptionalLong.of(30_000),
                OptionalLong.of(10), OptionalLong.of(left), OptionalLong.of(30_000))), now);
    }

    @Test
    void anAnswerThatOvertookAnEarlierRequestOfOursStillRevealsTheOtherApp() throws Exception {
        budget.acquire(1); // the first, answered later
        advanceMillis(1);
        Permit second = budget.acquire(1);
        advanceMillis(250);
        // the platform counted the second and one request of another app, but not yet the first (still on its way)
        budget.observe(second, left(now, 8));
        assertThat(budget.state()).as("the other app's request, not taken for our first")
                .containsEntry("heldForOtherApps", 1L);
    }

    /** Three of ours one after another, 250 ms each; each answer counts ours so far and one more of the other app's. */
    void threeAnswersEachShowingOneMoreRequestOfTheOtherApp() throws Exception {
        for (int i = 0; i < 3; i++) {
            Permit p = budget.acquire(1);
            advanceMillis(250);
            budget.observe(p, left(now, 10 - 2 * (i + 1)));
        }
    }

    @Test
    void whileAnotherAppSpendsASlotIsKeptFreeForItsRequestsDuringOurRoundTrips() throws Exception {
        threeAnswersEachShowingOneMoreRequestOfTheOtherApp();
        assertThat(budget.state()).containsEntry("inWindow", 6).containsEntry("keptFreeForOtherApps", 1);
        for (int i = 0; i < 3; i++) {
            budget.acquire(1);
        }
        assertThat(budget.waitNanos()).as("9 of 10 taken: the tenth is the other app's").isPositive();
    }

    /**
     * While no answer comes in (every request of ours waiting for the window, or a stall), none shows what the
     * other app took meanwhile: what it takes at its pace in that time is kept free too, not only two round trips'
     * worth. CI run 71 saw one 429 in CoTenantInFlightTest that way.
     */
    @Test
    void whileNoAnswerComesInTheOtherAppsRequestsMeanwhileAreKeptFreeToo() throws Exception {
        threeAnswersEachShowingOneMoreRequestOfTheOtherApp();
        assertThat(budget.state()).containsEntry("keptFreeForOtherApps", 1);
        // the other app's three in the first 750 ms of the 30 s window: at that pace it takes one more every 7.5 s
        advanceMillis(10_000);
        assertThat(budget.state()).as("ten seconds with no answer").containsEntry("keptFreeForOtherApps", 2);
        budget.acquire(1);
        budget.acquire(1);
        assertThat(budget.waitNanos()).as("8 of 10 taken: two kept for the other app's unseen requests").isPositive();
    }

    /** Two of ours in flight; the second is answered first, with what the platform has left: returns the first. */
    Permit twoSentTheSecondAnsweredWith(int left) throws Exception {
        Permit first = budget.acquire(1);
        advanceMillis(1);
        Permit second = budget.acquire(1);
        advanceMillis(250);
        budget.observe(second, left(now, left));
        return first;
    }

    @Test
    void aSlotHeldForOurOwnEarlierRequestIsGivenBackWhenANewerAnswerShowsNoOtherApp() throws Exception {
        Permit first = twoSentTheSecondAnsweredWith(8); // the platform counted both; ours so far: the second
        assertThat(budget.state()).containsEntry("heldForOtherApps", 1L);
        advanceMillis(1);
        budget.observe(first, left(now, 8));
        Permit third = budget.acquire(1);
        advanceMillis(250);
        budget.observe(third, left(now, 7)); // three counted, all three ours
        assertThat(budget.state()).as("no other app: the slot comes back, not a full window later")
                .containsEntry("heldForOtherApps", 0L).containsEntry("inWindow", 3)
                .containsEntry("keptFreeForOtherApps", 0);
    }

    @Test
    void anOlderAnswerOvertakenOnTheWayDoesNotGiveBackASlotTheOtherAppTook() throws Exception {
        // the platform counted the first, the second and, between them, a request of another app
        Permit first = twoSentTheSecondAnsweredWith(7);
        assertThat(budget.state()).containsEntry("heldForOtherApps", 2L);
        advanceMillis(5);
        // the first's answer comes last but states the count from before the other app's request
        budget.observe(first, left(now, 9));
        assertThat(budget.state()).as("the other app's slot is still held")
                .containsEntry("heldForOtherApps", 2L);
    }
}
