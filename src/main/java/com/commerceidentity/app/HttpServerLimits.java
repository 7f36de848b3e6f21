package com.commerceidentity.app;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Puts the Vert.x that enforces {@link ConnectionLimits} in the registry before Camel Main builds its HTTP
 * servers (they start before the configuration classes run, so a configuration class is too late), and closes it last.
 */
final class HttpServerLimits extends MainListenerSupport {
    private Vertx vertx;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (main.getCamelContext().getRegistry().lookupByName("connectionLimits") != null) {
            return;
        }
        Settings s = new Settings(main.getCamelContext());
        ConnectionLimits limits = new ConnectionLimits((int) s.number("app.http.max-connections"),
                s.number("app.http.header-timeout-ms"), s.number("app.http.idle-timeout-ms"), System::currentTimeMillis);
        vertx = Vertx.vertx();
        main.getCamelContext().getRegistry().bind("vertx", limits.around(vertx));
        main.getCamelContext().getRegistry().bind("connectionLimits", limits);
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        close();
    }

    /** Also called when start-up fails: Camel Main then never stops, and this Vert.x would keep its threads. */
    void close() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the process or test is ending anyway
            }
            vertx = null;
        }
    }
}
