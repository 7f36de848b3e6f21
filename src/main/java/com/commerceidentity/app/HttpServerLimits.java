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
    static final String NETTY_KEY_SET_OPTIMIZATION_OFF = "io.netty.noKeySetOptimization";

    private Vertx vertx;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (main.getCamelContext().getRegistry().lookupByName("connectionLimits") != null) {
            return;
        }
        Settings s = new Settings(main.getCamelContext());
        ConnectionLimits limits = new ConnectionLimits((int) s.number("app.http.max-connections"),
                s.number("app.http.header-timeout-ms"), s.number("app.http.idle-timeout-ms"), System::currentTimeMillis);
        if (System.getProperty(NETTY_KEY_SET_OPTIMIZATION_OFF) == null) {
            // Netty's "optimized" selected-key set answers contains() by a linear scan, and the JDK's epoll selector
            // asks it for every ready key: quadratic in the keys ready at once. Under AbuseBenchmark's upload flood
            // that was most of the HTTP event loop's time (JFR: SelectedSelectionKeySet.contains in 25 of 40
            // samples). The JDK's own set is a HashSet. Read once, when Netty's event loop class loads: set here,
            // before the first Vert.x, unless the operator chose otherwise with -D.
            System.setProperty(NETTY_KEY_SET_OPTIMIZATION_OFF, "true");
        }
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
