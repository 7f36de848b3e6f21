package com.commerceidentity.webhook;

import com.commerceidentity.db.TestDatabase;
import com.commerceidentity.sandbox.SandboxStores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings of the app as the webhook tests run it: sandbox stores on free ports, no scheduled sync. */
final class SandboxApp {
    private SandboxApp() {
    }

    /** A mutable map: tests add or override what their scenario needs. */
    static Map<String, String> settings(Path dir, int port) {
        Map<String, String> s = new HashMap<>();
        s.put("app.data-dir", dir.resolve("data").toString());
        s.putAll(TestDatabase.appSettings(dir));
        s.put("app.inbox-dir", dir.resolve("inbox").toString());
        s.put("camel.server.port", Integer.toString(port));
        s.put("sandbox.enabled", "true");
        s.put("sandbox.customers", "5");
        s.put("app.sync.enabled", "false");
        s.put("app.webhooks.poll-ms", "300");
        s.put("app.webhooks.public-url", "http://127.0.0.1:" + port);
        s.putAll(SandboxStores.onFreePorts());
        return s;
    }

    static int freePort() throws Exception {
        return com.commerceidentity.TestPorts.free();
    }
}
