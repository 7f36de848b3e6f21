package com.commerceidentity.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GET /feed latency while hostile clients press on the HTTP API (issue 19): {@code uploaders} clients each send
 * 60 MB bodies over and over, and up to {@code idle} bare connections are held open. Three processes, so that
 * each one's CPU is its own: the server ({@link AbuseServer}, with this JVM's options, e.g. {@code -Xmx512m}),
 * the attackers ({@link AbuseAttackers}) and this one, a light client that asks for /feed one request after
 * another over one kept-alive connection. Prints p50/p99 of /feed before, during and after the attack, how long
 * after it stops /feed is back under 100 ms p99, and the CPU seconds each process spent during the attack.
 * <pre>java -Xmx512m -cp target/commerce-identity-feed.jar com.commerceidentity.bench.AbuseBenchmark 50 10000 10</pre>
 */
public final class AbuseBenchmark {
    private static final long TARGET_P99_MS = 100;
    private static final long FAILED_NS = 10_000_000_000L;
    /** {@code -Dbench.attackers-nice=19}: the attackers' threads yield the CPU to the server's (see main). */
    private static final String ATTACKERS_NICE = System.getProperty("bench.attackers-nice");

    private AbuseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int uploaders = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = BenchDir.temporary("cif-abuse");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path serverLog = work.resolve("server.log");
        Process server = java(ManagementFactory.getRuntimeMXBean().getInputArguments(), AbuseServer.class,
                "app.data-dir=" + work.resolve("data"),
                "app.inbox-dir=" + work.resolve("inbox"),
                "sandbox.enabled=false",
                "app.sync.enabled=false",
                // the held connections are the point of the test: let them stay for the run
                "app.http.max-connections=" + (idle + 1000),
                "app.http.header-timeout-ms=" + (seconds * 4L + 30) * 1000,
                "camel.server.port=" + port)
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        try {
            awaitAnswer(port, server, serverLog);
            byte[] feed = KeepAliveSender.get("/feed?limit=10", port);
            print("before", sample(port, feed, seconds));

            ProcessBuilder attack = java(List.of("-Xmx256m"), AbuseAttackers.class, Integer.toString(port),
                    Integer.toString(uploaders), Integer.toString(idle));
            if (ATTACKERS_NICE != null) {
                // attackers elsewhere on the network, approximated on one machine: the OS runs their threads last
                attack.command().addAll(0, List.of("nice", "-n", ATTACKERS_NICE));
                System.out.println("attackers run under nice -n " + ATTACKERS_NICE);
            }
            Process attackers = attack.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader attackerOut = new BufferedReader(
                    new InputStreamReader(attackers.getInputStream(), StandardCharsets.UTF_8));
            String started = attackerOut.readLine();
            System.out.println(started);
            Cpu cpu = new Cpu(server, attackers);
            print("during", sample(port, feed, seconds));
            cpu.stop();

            OutputStream stop = attackers.getOutputStream();
            stop.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            stop.close();
            long stopped = System.nanoTime();
            System.out.println(attackerOut.readLine());
            if (!attackers.waitFor(30, TimeUnit.SECONDS)) {
                System.out.println("the attackers did not end within 30 s of being told to stop: killed");
                attackers.destroyForcibly();
            }
            double recovery = -1;
            while ((System.nanoTime() - stopped) < 60_000_000_000L) {
                long[] window = sample(port, feed, 1);
                if (percentile(window, 99) <= TARGET_P99_MS * 1_000_000) {
                    recovery = (System.nanoTime() - stopped) / 1e9;
                    break;
                }
            }
            System.out.printf("recovery: /feed p99 <= %d ms %s%n", TARGET_P99_MS,
                    recovery < 0 ? "not reached within 60 s" : String.format("%.1f s after the attack stopped", recovery));
            print("after", sample(port, feed, seconds));
            System.out.printf("CPU during the attack (%d s): server %.1f s, attackers %.1f s, /feed client %.1f s;"
                    + " the server read %,d MB from its sockets and files%n",
                    seconds, cpu.server / 1e9, cpu.attackers / 1e9, cpu.client / 1e9, cpu.serverRead >> 20);
        } finally {
            server.getOutputStream().close(); // AbuseServer stops the application at the end of its input
            if (server.waitFor(60, TimeUnit.SECONDS)) {
                System.out.println("server process ended by itself after stopping (exit " + server.exitValue() + ")");
            } else {
                System.out.println("server process still alive 60 s after its application stopped: killed; see "
                        + serverLog + " (run with -Dbench.keep=true) and jstack it next time");
                server.destroyForcibly();
            }
        }
    }

    /** A JVM running {@code main} with this one's class path. */
    private static ProcessBuilder java(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static void awaitAnswer(int port, Process server, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server process ended at start-up; see " + log);
            }
            try (KeepAliveSender s = new KeepAliveSender(port)) {
                if (s.exchange(KeepAliveSender.get("/feed?limit=1", port)) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not answer /feed within 180 s; see " + log);
    }

    /** Latencies in ns of GET /feed, one request after another, for the given seconds; a failure counts as 10 s. */
    private static long[] sample(int port, byte[] feed, int seconds) {
        List<Long> out = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        KeepAliveSender sender = null;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            try {
                if (sender == null) {
                    sender = new KeepAliveSender(port);
                }
                out.add(sender.exchange(feed) == 200 ? System.nanoTime() - t0 : FAILED_NS);
            } catch (IOException e) {
                out.add(FAILED_NS);
                closeQuietly(sender);
                sender = null;
            }
        }
        closeQuietly(sender);
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void closeQuietly(KeepAliveSender sender) {
        try {
            if (sender != null) {
                sender.close();
            }
        } catch (IOException ignored) {
            // it was only the measuring connection
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? Long.MAX_VALUE : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static void print(String phase, long[] sorted) {
        long failed = java.util.Arrays.stream(sorted).filter(t -> t >= FAILED_NS).count();
        System.out.printf("%-7s /feed: %,6d requests  p50 %6.1f ms  p99 %6.1f ms  max %7.1f ms  failed %d%n", phase,
                sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, failed);
    }

    /** CPU time each process spent between construction and {@link #stop()}. */
    private static final class Cpu {
        private final Process serverProcess;
        private final Process attackerProcess;
        private long server;
        private long attackers;
        private long client;
        private long serverRead;

        Cpu(Process server, Process attackers) {
            this.serverRead = -bytesRead(server);
            this.serverProcess = server;
            this.attackerProcess = attackers;
            this.server = -ProcessCpu.nanos(server.toHandle());
            this.attackers = -ProcessCpu.nanos(attackers.toHandle());
            this.client = -ProcessCpu.nanos();
        }

        void stop() {
            server += ProcessCpu.nanos(serverProcess.toHandle());
            attackers += ProcessCpu.nanos(attackerProcess.toHandle());
            client += ProcessCpu.nanos();
            serverRead += bytesRead(serverProcess);
        }

        /** {@code rchar} of /proc/&lt;pid&gt;/io: what the process's read calls returned, sockets included (Linux). */
        private static long bytesRead(Process p) {
            try {
                for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "io"))) {
                    if (line.startsWith("rchar:")) {
                        return Long.parseLong(line.substring(6).trim());
                    }
                }
            } catch (IOException | RuntimeException notLinux) {
                // then 0: the figure is only printed
            }
            return 0;
        }
    }
}
