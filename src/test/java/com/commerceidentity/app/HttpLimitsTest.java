package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or careless client can no longer do to the HTTP API: make it buffer bodies it will refuse, hold
 * upload slots or connections forever. Raw sockets, because the point is what happens before a body is complete;
 * every read waits at most five seconds.
 */
class HttpLimitsTest {
    private static final int ANSWER_WITHIN_MS = 5000;

    @TempDir
    static Path dir;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = new AppHarness(dir, Map.of(
                "app.http.max-concurrent-uploads", "2",
                "app.http.body-timeout-ms", "1000",
                "app.http.header-timeout-ms", "500"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), app.port);
        s.setSoTimeout(ANSWER_WITHIN_MS);
        return s;
    }

    private static void send(Socket s, String head) throws IOException {
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** The status line and headers of the answer, read before the client has sent its body. */
    private static String answerHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (out.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String post(String path, long contentLength, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n" + extraHeaders + "\r\n";
    }

    private static String token() {
        return "Authorization: Bearer " + AppHarness.TOKEN + "\r\n";
    }

    @Test
    void anOversizeWebhookIsRefusedFromItsContentLengthWithoutSendingTheBody() throws Exception {
        try (Socket s = connect()) {
            send(s, post("/webhooks/shopify/s1", 60L * 1024 * 1024, ""));
            String head = answerHead(s);
            assertThat(head).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void aChunkedWebhookIsRefusedFromItsHeadersBeforeAByteOfItsBodyIsRead() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /webhooks/shopify/s1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            String head = answerHead(s);
            assertThat(head).startsWith("HTTP/1.1 411").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesItsLimitNotAfterItEnds() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /webhook-inbox/retry HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 4; i++) { // 256 KiB over a 64 KiB limit, and the closing chunk never comes
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedWhileSending) {
                // the server may close before the last chunks: the answer is already waiting to be read
            }
            assertThat(answerHead(s)).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aDropWithoutTheTokenIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Socket s = connect()) {
            send(s, post("/drop/shopify/s1", 8L * 1024 * 1024, ""));
            assertThat(answerHead(s)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void uploadsBeyondTheCapAreAnswered503WithRetryAfterAtOnce() throws Exception {
        List<Socket> holding = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = connect();
                holding.add(s);
                send(s, post("/drop/shopify/s1", 1000, token()) + "[");
            }
            // the two uploads above are in progress (their bodies incomplete) once a request shows they hold the slots
            try (Socket third = connect()) {
                send(third, post("/drop/shopify/s1", 1000, token()));
                String head = answerHead(third);
                assertThat(head).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after:");
            }
        } finally {
            for (Socket s : holding) {
                s.close();
            }
        }
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AndFreesItsSlot() throws Exception {
        try (Socket s = connect()) {
            send(s, post("/drop/shopify/s2", 100, token()) + "[{\"id\":1,");
            assertThat(answerHead(s)).startsWith("HTTP/1.1 408");
        }
        assertThat(app.getJson("/feed").has("events")).isTrue();
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (Socket s = connect()) {
            assertThat(s.getInputStream().read()).as("closed by the server, not timed out here").isEqualTo(-1);
        }
    }
}
