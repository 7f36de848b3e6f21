package com.commerceidentity.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxMainTest {

    @Test
    void registrySkipsListedSimulatorsThatAreNotBuilt() {
        assertThat(SimulatorRegistry.SIMULATORS).hasSizeGreaterThanOrEqualTo(SimulatorRegistry.available().size());
        assertThat(SimulatorRegistry.available()).allMatch(Simulator.class::isAssignableFrom);
        assertThat(SimulatorRegistry.available()).extracting(Class::getSimpleName)
                .contains("ShopifySimulator", "BigCommerceSimulator");
    }

    @Test
    void startAllStartsEveryAvailableSimulatorOnItsOwnPort() {
        List<Simulator> started = SandboxMain.startAll(SandboxSettings.defaults().with("customers", "5").with("staff", "2"));
        try {
            assertThat(started).hasSameSizeAs(SimulatorRegistry.available());
            assertThat(started).extracting(Simulator::port).doesNotHaveDuplicates().allMatch(p -> p > 0);
            for (Simulator simulator : started) {
                assertThat(SandboxMain.banner(simulator)).contains(simulator.baseUrl()).contains(simulator.controlUrl());
                assertThat(Http.get(simulator.controlUrl()).statusCode()).isEqualTo(200);
            }
        } finally {
            started.forEach(Simulator::close);
        }
    }

    @Test
    void settingsReadSandboxSystemPropertiesWithPerPlatformOverrides() {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(Map.of("sandbox.seed", "7", "sandbox.customers", "30", "sandbox.shopify.customers", "12",
                "sandbox.shopify.port", "0", "unrelated", "x"));
        SandboxSettings settings = SandboxSettings.fromProperties(properties);
        assertThat(settings.seed()).isEqualTo(7);
        assertThat(settings.customers("shopify")).isEqualTo(12);
        assertThat(settings.customers("bigcommerce")).isEqualTo(30);
        assertThat(settings.port("shopify")).isZero();
    }
}
