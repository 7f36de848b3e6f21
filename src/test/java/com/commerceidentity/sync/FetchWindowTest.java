package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run reads answers in the order the requests were sent, whichever comes back first; a request that failed
 * fails the run only when the pages before it are read; requests given up are neither sent nor read.
 */
class FetchWindowTest {
    private final FetchWindow window = new FetchWindow();

    private static SyncRun.Fetch page(int n) {
        return new SyncRun.Fetch(n, PageRequest.get("/customers", "page=" + n));
    }

    private static SyncRuns.Answer answer(FetchWindow.Sent s) {
        return new SyncRuns.Answer(s.fetch(), 200, "page " + s.fetch().number(), Map.of(), 1, 0);
    }

    @Test
    void answersAreReadInSendOrderWhateverOrderTheyComeBackIn() throws Exception {
        FetchWindow.Sent p2 = window.send(page(2));
        FetchWindow.Sent p3 = window.send(page(3));
        FetchWindow.Sent p4 = window.send(page(4));
        p4.answer().complete(answer(p4));
        p3.answer().complete(answer(p3));
        p2.answer().complete(answer(p2));
        assertThat(window.next(() -> false).fetch().number()).isEqualTo(2);
        assertThat(window.next(() -> false).fetch().number()).isEqualTo(3);
        assertThat(window.next(() -> false).fetch().number()).isEqualTo(4);
        assertThat(window.unread()).isZero();
    }

    @Test
    void aFailedRequestFailsTheRunOnlyOnceThePagesBeforeItAreRead() throws Exception {
        FetchWindow.Sent p2 = window.send(page(2));
        FetchWindow.Sent p3 = window.send(page(3));
        p3.answer().completeExceptionally(new IllegalStateException("store answered 500 five times"));
        p2.answer().complete(answer(p2));
        assertThat(window.next(() -> false).fetch().number()).isEqualTo(2);
        assertThatThrownBy(() -> window.next(() -> false)).isInstanceOf(IllegalStateException.class)
                .hasMessage("store answered 500 five times");
    }

    @Test
    void requestsGivenUpAreNotSentAndTheirAnswersAreNotRead() throws Exception {
        FetchWindow.Sent p2 = window.send(page(2));
        FetchWindow.Sent p3 = window.send(page(3));
        window.giveUp();
        assertThat(window.wanted(p2)).isFalse();
        assertThat(window.wanted(p3)).isFalse();
        assertThat(window.unread()).isZero();
        FetchWindow.Sent again = window.send(page(2));
        assertThat(window.wanted(again)).isTrue();
        p3.answer().complete(answer(p3));
        again.answer().complete(answer(again));
        assertThat(window.next(() -> false)).isSameAs(again.answer().get());
        window.close();
        assertThat(window.wanted(window.send(page(3)))).as("nothing is sent for a run that is over").isFalse();
    }

    @Test
    void aRunWaitingForAnAnswerGivesUpWhenTheAppStops() {
        window.send(page(2));
        assertThatThrownBy(() -> window.next(() -> true)).hasMessageContaining("stopping");
    }
}
