package com.commerceidentity.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile side of {@link AbuseBenchmark}, in a process of its own so that its CPU is not the server's:
 * holds {@code idle} bare connections and runs {@code uploaders} clients that send 60 MB bodies over and over,
 * reconnecting at once when refused. The uploaders take turns at three kinds: chunked webhooks (refused 411),
 * webhooks with a 60 MB {@code Content-Length} (413) and drops with that length and no token (401).
 * Prints {@code attacking: ...} once everything is under way, stops at the line {@code stop} (or end of input),
 * then prints {@code stopped: ...} and ends: every thread it started has finished and every socket is closed.
 * <pre>AbuseAttackers &lt;port&gt; &lt;uploaders&gt; &lt;idle&gt;</pre>
 */
public final class AbuseAttackers {
    private static final long BODY_BYTES = 60L << 20;

    private final int port;
    private final AtomicBoolean attacking = new AtomicBoolean(true);
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();

    private AbuseAttackers(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int uploaders = Integer.parseInt(args[1]);
        int idle = Integer.parseInt(args[2]);
        new AbuseAttackers(port).run(uploaders, idle);
    }

    private void run(int uploaders, int idle) throws Exception {
        List<Socket> held = new ArrayList<>();
        String holdError = null;
        try {
            for (int i = 0; i < idle; i++) {
                held.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
        } catch (IOException e) {
            holdError = e.getMessage();
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < uploaders; i++) {
            int kind = i % 3;
            Thread t = new Thread(() -> upload(kind), "uploader-" + i);
            t.start();
            threads.add(t);
        }
        System.out.printf("attacking: %d uploaders, idle connections held: %,d of %,d%s%n", uploaders, held.size(), idle,
                holdError == null ? "" : " (stopped by: " + holdError + ")");
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = commands.readLine(); line != null && !line.equals("stop"); line = commands.readLine()) {
            // only "stop" means anything
        }
        attacking.set(false);
        for (Socket s : held) {
            s.close();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("stopped: uploads refused %,d; bytes the uploaders got to send %,d MB%n", refused.get(),
                sentBytes.get() >> 20);
    }

    /** Sends 60 MB bodies until refused, again and again. */
    private void upload(int kind) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        byte[] chunkHead = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        String head = switch (kind) {
            case 0 -> "POST /webhooks/shopify/s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n";
            case 1 -> "POST /webhooks/shopify/s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY_BYTES + "\r\n\r\n";
            default -> "POST /drop/shopify/s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: " + BODY_BYTES + "\r\n\r\n";
        };
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        while (attacking.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoLinger(true, 0); // a refused uploader leaves no TIME_WAIT behind to run the ports out
                OutputStream out = s.getOutputStream();
                out.write(headBytes);
                for (long sent = 0; sent < BODY_BYTES && attacking.get(); sent += chunk.length) {
                    if (kind == 0) {
                        out.write(chunkHead);
                    }
                    out.write(chunk);
                    if (kind == 0) {
                        out.write(crlf);
                    }
                    sentBytes.addAndGet(chunk.length);
                }
            } catch (IOException closedByServer) {
                refused.incrementAndGet();
            }
        }
    }
}
