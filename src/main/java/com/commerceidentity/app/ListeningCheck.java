package com.commerceidentity.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Refuses to start when a port the app serves on is taken. Vert.x binds asynchronously and Camel only logs a
 * failed bind (and reports the configured port as bound), so without this check an app whose port is taken
 * keeps syncing with no API, no webhook endpoint and no health: alive to a supervisor, unreachable to all.
 * The ports are tried just before Camel starts; another process taking one in between is not caught.
 */
final class ListeningCheck extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        check(properties, "camel.server", "0.0.0.0", "8080");
        check(properties, "camel.management", "0.0.0.0", "8080");
    }

    private static void check(PropertiesComponent properties, String prefix, String defaultHost, String defaultPort) {
        if (!Boolean.parseBoolean(properties.resolveProperty(prefix + ".enabled").orElse("false"))) {
            return;
        }
        String host = properties.resolveProperty(prefix + ".host").orElse(defaultHost);
        int port = Integer.parseInt(properties.resolveProperty(prefix + ".port").orElse(defaultPort).trim());
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException(prefix + ".port " + port + " on " + host + " cannot be bound ("
                    + e.getMessage() + "): another process holds it; stop it or set " + prefix + ".port");
        }
    }
}
