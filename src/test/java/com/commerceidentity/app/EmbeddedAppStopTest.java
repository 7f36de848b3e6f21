package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.sandbox.SandboxStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that starts the application in-process (a benchmark, a test) ends when it has closed it: the Vert.x
 * that enforces the HTTP limits used to keep its non-daemon event-loop and worker threads, and
 * {@code AbuseBenchmark} never exited.
 */
class EmbeddedAppStopTest {
    @TempDir
    Path dir;

    @Test
    void closingTheApplicationLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        new AppHarness(dir, Map.of()).close();
        assertNoNewThreadKeepsTheJvmAlive(before);
    }

    /**
     * A start that fails once the database is open and the sandbox stores serve (a route file naming a bean there
     * is none of) closes what it had started: SyncBenchmark printed the error and never ended, a sandbox store's
     * Vert.x kept it alive; and the database kept its in-use mark, so the next start rebuilt it.
     */
    @Test
    void aStartThatFailsLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), """
                - route:
                    id: names-a-missing-bean
                    from:
                      uri: timer:once?repeatCount=1
                      steps:
                        - bean:
                            ref: noSuchBeanAnywhere
                """);
        Map<String, String> settings = new HashMap<>(SandboxStores.onFreePorts());
        settings.putAll(Map.of(
                "app.data-dir", dir.resolve("data").toString(),
                "app.inbox-dir", dir.resolve("inbox").toString(),
                "camel.server.port", Integer.toString(AppHarness.freePort()),
                "camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + routes + "/*.yaml",
                "sandbox.enabled", "true",
                "app.sync.run-at-start", "false"));
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertThatThrownBy(() -> EmbeddedApp.start(settings).close()).hasStackTraceContaining("noSuchBeanAnywhere");
        assertNoNewThreadKeepsTheJvmAlive(before);
        try (var files = Files.list(dir.resolve("data").resolve("db"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the database was closed: the next start does not take it for one a kill left, and rebuild it")
                    .contains("identity.mv.db").doesNotContain("identity.in-use");
        }
    }

    private static void assertNoNewThreadKeepsTheJvmAlive(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 100; i++) { // threads end shortly after close returns: up to 10 s
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
                    .map(Thread::getName).sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(left).as("non-daemon threads still alive after close").isEmpty();
    }
}
