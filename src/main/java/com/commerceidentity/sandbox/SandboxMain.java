package com.commerceidentity.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts every simulator in {@link SimulatorRegistry}, prints base URL, credentials and control URL of each,
 * then runs until Ctrl-C. Options are system properties, see {@link SandboxSettings}; for example
 * {@code mvn -q exec:java -Dexec.mainClass=com.commerceidentity.sandbox.SandboxMain -Dsandbox.seed=7 -Dsandbox.shopify.port=8101}.
 * {@code -Dsandbox.exitAfterStart=true} stops right after printing (smoke test).
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxSettings settings = SandboxSettings.fromSystemProperties();
        List<Simulator> started = startAll(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.forEach(Simulator::close);
            stopped.countDown();
        }, "sandbox-shutdown"));
        for (Simulator simulator : started) {
            System.out.println(banner(simulator));
        }
        System.out.println("Sandbox running (seed " + settings.seed() + "). Press Ctrl-C to stop.");
        if (Boolean.getBoolean("sandbox.exitAfterStart")) {
            started.forEach(Simulator::close);
            return;
        }
        stopped.await();
    }

    /** Starts every registered simulator; on failure closes those already started and rethrows. */
    public static List<Simulator> startAll(SandboxSettings settings) {
        List<Simulator> started = new ArrayList<>();
        try {
            for (Class<? extends Simulator> type : SimulatorRegistry.available()) {
                started.add(SimulatorRegistry.create(type, settings).start());
            }
        } catch (RuntimeException e) {
            started.forEach(Simulator::close);
            throw e;
        }
        return started;
    }

    static String banner(Simulator simulator) {
        StringBuilder text = new StringBuilder();
        text.append("== ").append(simulator.platform()).append('\n');
        text.append("   base URL    : ").append(simulator.baseUrl()).append('\n');
        text.append("   control URL : ").append(simulator.controlUrl()).append('\n');
        simulator.describe().forEach((k, v) -> text.append("   ").append(String.format("%-12s", k)).append(": ").append(v).append('\n'));
        return text.toString();
    }
}
