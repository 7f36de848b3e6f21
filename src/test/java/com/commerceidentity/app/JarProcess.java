package com.commerceidentity.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged jar as users run it, in its own JVM on loopback, with its log appended to {@code log}. */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;

    private JarProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * The jar's JVMs here live for seconds to a minute, two side by side on CI's two cores: C2's compilations and
     * a parallel collector's threads took more CPU than they gave back (the four ITs on a slow 2-core machine:
     * SyncCrashIT 386 s, DropCrashIT 134 s, WebhookCrashIT 131 s and PackagedJarIT 84 s with the JVM's defaults,
     * 267, 84, 81 and 70 s with these). What the tests check does not depend on them; {@code -Djar.jvm-options=...}
     * replaces them, and {@code -Djar.jvm-options=} (empty) runs the jars on the JVM's defaults.
     */
    static final List<String> JVM_OPTIONS = java.util.Arrays.stream(System.getProperty("jar.jvm-options",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();

    /** Starts the jar with {@code -Dkey=value} settings and returns once it answers {@code GET /feed}. */
    public static JarProcess start(Path dir, int port, List<String> settings) throws Exception {
        Path jar = Path.of("target", "commerce-identity-feed.jar").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dcamel.server.port=" + port, "-Dcamel.management.port=0", "-Dsandbox.enabled=false",
                "-Dapp.sync.enabled=false", "-Dapp.data-dir=" + dir.resolve("data"), "-Dapp.inbox-dir=" + dir.resolve("inbox")));
        cmd.addAll(1, JVM_OPTIONS);
        for (String setting : settings) {
            cmd.add("-D" + setting);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = dir.resolve("app.log");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // a restart after a kill rebuilds the H2 database first: on a busy 2-core CI machine that took over a minute
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feed"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return new JarProcess(process, log, port);
                }
                Thread.sleep(200);
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the jar did not start; log:\n" + Files.readString(log));
    }

    /** SIGKILL: nothing gets to flush, commit or shut down. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as a service manager stops it; SIGKILL if it has not stopped after 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
