package com.commerceidentity.app;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The application started in-process with some settings overridden: used by the benchmarks and by tests
 * that exercise the real routes, so they run exactly what ops run.
 */
public final class EmbeddedApp implements AutoCloseable {
    private final Main main;
    private final HttpServerLimits limits;

    private EmbeddedApp(Main main, HttpServerLimits limits) {
        this.main = main;
        this.limits = limits;
    }

    public static EmbeddedApp start(Map<String, String> overrides) throws Exception {
        return start(overrides, SettingSources.ofThisProcess());
    }

    /** With system properties, environment and operator file of the caller's choosing, below {@code overrides}. */
    public static EmbeddedApp start(Map<String, String> overrides, SettingSources sources) throws Exception {
        Main main = new Main(Application.class);
        sources.applyTo(main);
        // Embedded copies (tests, benchmarks) must not collide with a running app's management port.
        main.addOverrideProperty("camel.management.port", "0");
        overrides.forEach(main::addOverrideProperty);
        StartOrder.addTo(main);
        HttpServerLimits limits = new HttpServerLimits();
        main.addMainListener(limits);
        main.addMainListener(new ListeningCheck());
        main.addMainListener(new RouteFileReload.Installer());
        try {
            main.start();
        } catch (Exception | Error e) {
            try {
                ClosingService.afterFailedStart(main);
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            limits.close();
            throw e;
        }
        return new EmbeddedApp(main, limits);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        // by name: a bean is registered under the type its @BindToRegistry method declares, often an interface
        Object bean = context().getRegistry().lookupByName(name);
        if (!type.isInstance(bean)) {
            throw new IllegalStateException("no bean '" + name + "' of type " + type.getSimpleName());
        }
        return type.cast(bean);
    }

    @Override
    public void close() {
        main.stop();
        // Main.stop() does not call the listeners' afterStop (only Main.run() does): the Vert.x of the HTTP limits
        // kept its non-daemon event-loop and worker threads, and a benchmark's JVM never ended
        limits.close();
    }
}
