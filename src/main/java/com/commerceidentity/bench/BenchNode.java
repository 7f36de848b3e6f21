package com.commerceidentity.bench;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.graph.IdentityGraph;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One app node of a multi-node benchmark, in a JVM of its own (started by {@link WebhookBenchmark} with
 * {@code --nodes}): the app with the {@code key=value} settings of its arguments. It tells the parent on
 * standard output when it is listening and, when told to stop on standard input, how many observations its graph
 * applied, which is how the parent checks that the nodes together applied every event once. Standard input at
 * its end (the parent died) stops it too, so no node outlives its benchmark.
 */
public final class BenchNode {
    static final String READY = "BENCHNODE READY";
    static final String STATS = "BENCHNODE STATS ";
    static final String STOP = "stop";

    private BenchNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a setting is key=value, not '" + a + "'");
            }
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (EmbeddedApp app = EmbeddedApp.start(settings)) {
            System.out.println(READY);
            System.out.flush();
            for (String line = in.readLine(); line != null && !line.trim().equals(STOP); line = in.readLine()) {
                // nothing else is said on this channel
            }
            IdentityGraph.Stats s = app.bean("identityGraph", IdentityGraph.class).stats();
            System.out.println(STATS + s.observations() + " " + s.stale() + " " + s.unchanged() + " " + s.events());
            System.out.flush();
        }
        // The app's pools may hold non-daemon threads a moment longer; the node has said all it had to say.
        System.exit(0);
    }
}
