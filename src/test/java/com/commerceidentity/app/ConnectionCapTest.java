package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections past app.http.max-connections are closed as they come, so they cannot use up file descriptors. */
class ConnectionCapTest {
    @TempDir
    static Path dir;
    static AppHarness app;

    @BeforeAll
    static void start() throws Exception {
        app = new AppHarness(dir, Map.of("app.http.max-connections", "20", "app.http.header-timeout-ms", "60000"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void connectionsPastTheCapAreClosedWhileTheOthersStayOpen() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), app.port);
                s.setSoTimeout(300);
                sockets.add(s);
            }
            int closed = 0;
            for (Socket s : sockets) {
                if (closedByServer(s)) {
                    closed++;
                }
            }
            assertThat(closed).as("of 30 connections with a cap of 20").isEqualTo(10);
            assertThat(closedByServer(sockets.get(0))).as("the first connection is still open").isFalse();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        // the server sees the closes asynchronously: room again within a bounded wait
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> app.get("/feed").statusCode() == 200);
    }

    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
