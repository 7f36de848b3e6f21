package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GET /feed latency while hostile clients press on the HTTP API (issue 19): {@code uploaders} clients each send
 * 60 MB webhook bodies over and over (chunked, so only the streaming limit stops them), and up to {@code idle}
 * bare connections are held open. Prints p50/p99 of /feed before, during and after, and how long after the
 * attack stops /feed is back under 100 ms p99. Client and server share this JVM, so each held connection costs
 * two file descriptors: the number held is bounded by {@code ulimit -n} and printed.
 * <pre>java -Xmx512m -cp target/commerce-identity-feed.jar com.commerceidentity.bench.AbuseBenchmark 50 10000 10</pre>
 */
public final class AbuseBenchmark {
    private static final long TARGET_P99_MS = 100;

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
        try (EmbeddedApp app = EmbeddedApp.start(Map.of(
                "app.data-dir", work.resolve("data").toString(),
                "app.inbox-dir", work.resolve("inbox").toString(),
                "sandbox.enabled", "false",
                "app.sync.enabled", "false",
                // the held connections are the point of the test: let them stay for the run
                "app.http.max-connections", Integer.toString(idle + 1000),
                "app.http.header-timeout-ms", Long.toString((seconds * 4L + 30) * 1000),
                "camel.server.port", Integer.toString(port)))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI feed = URI.create("http://127.0.0.1:" + port + "/feed?limit=10");
            print("before", sample(client, feed, seconds));

            List<Socket> held = new ArrayList<>();
            String holdError = null;
            try {
                for (int i = 0; i < idle; i++) {
                    held.add(new Socket(InetAddress.getLoopbackAddress(), port));
                }
            } catch (IOException e) {
                holdError = e.getMessage();
            }
            System.out.printf("idle connections held: %,d of %,d%s (ulimit -n bounds this JVM, which holds both ends)%n",
                    held.size(), idle, holdError == null ? "" : " — stopped by: " + holdError);
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong refused = new AtomicLong();
            AtomicLong sentBytes = new AtomicLong();
            List<Thread> attackers = new ArrayList<>();
            for (int i = 0; i < uploaders; i++) {
                Thread t = new Thread(() -> upload(port, attacking, refused, sentBytes), "uploader-" + i);
                t.setDaemon(true);
                t.start();
                attackers.add(t);
            }
            print("during", sample(client, feed, seconds));
            attacking.set(false);
            long stopped = System.nanoTime();
            for (Socket s : held) {
                s.close();
            }
            for (Thread t : attackers) {
                t.join(10_000);
            }
            System.out.printf("oversize uploads refused: %,d; bytes the uploaders got to send: %,d MB%n",
                    refused.get(), sentBytes.get() >> 20);
            double recovery = -1;
            while ((System.nanoTime() - stopped) < 60_000_000_000L) {
                long[] window = sample(client, feed, 1);
                if (percentile(window, 99) <= TARGET_P99_MS * 1_000_000) {
                    recovery = (System.nanoTime() - stopped) / 1e9;
                    break;
                }
            }
            System.out.printf("recovery: /feed p99 <= %d ms %s%n", TARGET_P99_MS,
                    recovery < 0 ? "not reached within 60 s" : String.format("%.1f s after the attack stopped", recovery));
            print("after", sample(client, feed, seconds));
        }
    }

    /** Sends chunked 60 MB bodies until refused, again and again. */
    private static void upload(int port, AtomicBoolean attacking, AtomicLong refused, AtomicLong sent) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        while (attacking.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /webhooks/shopify/s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 960 && attacking.get(); i++) {
                    out.write(chunkHead);
                    out.write(chunk);
                    out.write(crlf);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException closedByServer) {
                refused.incrementAndGet();
            }
        }
    }

    /** Latencies in ns of GET /feed, one request after another, for the given seconds; a failure counts as 10 s. */
    private static long[] sample(HttpClient client, URI feed, int seconds) {
        List<Long> out = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        HttpRequest request = HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(10)).GET().build();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                out.add(r.statusCode() == 200 ? System.nanoTime() - t0 : 10_000_000_000L);
            } catch (IOException | InterruptedException e) {
                out.add(10_000_000_000L);
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? Long.MAX_VALUE : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static void print(String phase, long[] sorted) {
        System.out.printf("%-7s /feed: %,6d requests  p50 %6.1f ms  p99 %6.1f ms  max %7.1f ms%n", phase, sorted.length,
                percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }
}
