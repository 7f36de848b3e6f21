package com.commerceidentity.sandbox;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorLatencyTest {

    @Test
    void fixedAndUniformLatencyAreParsedAndDrawnFromTheSeed() {
        assertThat(Latency.parse("250", 1).next()).isEqualTo(250);
        assertThat(Latency.parse(null, 1).none()).isTrue();
        Latency a = Latency.parse("100-500", 7);
        Latency b = Latency.parse("100-500", 7);
        List<Long> drawsA = IntStream.range(0, 200).mapToObj(i -> a.next()).toList();
        List<Long> drawsB = IntStream.range(0, 200).mapToObj(i -> b.next()).toList();
        assertThat(drawsA).isEqualTo(drawsB).allSatisfy(d -> assertThat(d).isBetween(100L, 500L));
        assertThat(drawsA.stream().distinct().count()).isGreaterThan(50);
        assertThatThrownBy(() -> Latency.parse("500-100", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latency.parse("fast", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryGivesEachSimulatorItsPlatformsLatency() {
        SandboxSettings settings = SandboxSettings.defaults().with("bigcommerce.latency-ms", "250");
        for (Class<? extends Simulator> type : SimulatorRegistry.available()) {
            Simulator sim = SimulatorRegistry.create(type, settings);
            assertThat(sim.latency().toString()).as(sim.platform())
                    .isEqualTo(sim.platform().equals("bigcommerce") ? "250" : "0");
        }
    }

    @Test
    void requestsWaitingOutTheirLatencyAreHeldTogetherWithoutBlockingTheEventLoop() {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (TinySimulator sim = new TinySimulator()) {
            sim.latency(Latency.parse("400", 1));
            sim.start();
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> Http.get(sim.baseUrl() + "/items"), callers))
                    .toList();
            // The control API is served from the same event loop: it answers while the four wait their timers.
            assertThat(Http.get(sim.controlUrl() + "/counters").statusCode()).isEqualTo(200);
            calls.forEach(c -> assertThat(c.join().statusCode()).isEqualTo(200));
            assertThat(sim.counters().total()).isEqualTo(4);
            assertThat(sim.counters().maxInFlight()).isBetween(2, 4);
            assertThat(sim.counters().meanInFlight()).isGreaterThan(1.0);
        } finally {
            callers.shutdown();
        }
    }
}
