package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
