package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server side of {@link AbuseBenchmark}, in a process of its own so that its CPU time is the server's alone:
 * starts the application with the {@code key=value} settings given, prints {@code ready}, and stops it when its
 * input ends. It then ends by itself: a thread left alive by the stopped application would keep it running, and
 * {@link AbuseBenchmark} reports that.
 */
public final class AbuseServer {
    private AbuseServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes our input
            }
        }
        System.out.println("server stopped");
    }
}
