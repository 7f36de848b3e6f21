package com.commerceidentity.sandbox;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookDispatcherTest {

    @Test
    void deliversInSubmissionOrder() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(); WebhookDispatcher dispatcher = new WebhookDispatcher()) {
            for (int i = 1; i <= 3; i++) {
                dispatcher.send(delivery(receiver, i));
            }
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(bodies(receiver)).containsExactly("1", "2", "3");
            assertThat(dispatcher.attempts()).allMatch(a -> a.status() == 200);
        }
    }

    @Test
    void duplicateKnobSendsTheSameDeliveryTwice() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(); WebhookDispatcher dispatcher = new WebhookDispatcher()) {
            dispatcher.duplicateNext(1);
            dispatcher.send(delivery(receiver, 1));
            dispatcher.send(delivery(receiver, 2));
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(bodies(receiver)).containsExactly("1", "1", "2");
            assertThat(receiver.received().get(0).header("x-event")).isEqualTo(receiver.received().get(1).header("x-event"));
        }
    }

    @Test
    void outOfOrderKnobSwapsADeliveryWithTheNextOne() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(); WebhookDispatcher dispatcher = new WebhookDispatcher()) {
            dispatcher.outOfOrderNext(1);
            dispatcher.send(delivery(receiver, 1));
            dispatcher.send(delivery(receiver, 2));
            dispatcher.send(delivery(receiver, 3));
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(bodies(receiver)).containsExactly("2", "1", "3");
        }
    }

    @Test
    void heldDeliveryIsReleasedAfterHoldTimeWhenNothingFollows() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(); WebhookDispatcher dispatcher = new WebhookDispatcher()) {
            dispatcher.holdMillis(100);
            dispatcher.outOfOrderNext(1);
            dispatcher.send(delivery(receiver, 1));
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(bodies(receiver)).containsExactly("1");
        }
    }

    @Test
    void failedDeliveryIsRecordedWithoutStatus() throws Exception {
        String deadUrl;
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            deadUrl = receiver.url("/gone");
        }
        try (WebhookDispatcher dispatcher = new WebhookDispatcher()) {
            dispatcher.send(new WebhookDispatcher.Delivery(deadUrl, Map.of(), "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(dispatcher.attempts()).singleElement().satisfies(a -> {
                assertThat(a.status()).isEqualTo(-1);
                assertThat(a.error()).isNotBlank();
            });
        }
    }

    private static WebhookDispatcher.Delivery delivery(WebhookReceiver receiver, int n) {
        return new WebhookDispatcher.Delivery(receiver.url("/hook"), Map.of("X-Event", "e" + n),
                String.valueOf(n).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> bodies(WebhookReceiver receiver) {
        return receiver.received().stream().map(WebhookReceiver.Received::bodyText).toList();
    }
}
