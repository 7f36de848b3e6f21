package com.commerceidentity.app;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Reads every route file before anything slow starts (database, sandbox stores): a typo in a route file is then
 * reported at once, as one line naming the file, line and column, instead of after the sandbox stores have started
 * and with Camel's stack trace around it. Only reading is checked here; what needs the running app (beans,
 * endpoints) is still checked when the routes start.
 */
final class RouteFilesCheck {

    private RouteFilesCheck() {
    }

    static void readAll(CamelContext context) {
        String pattern = context.getPropertiesComponent().resolveProperty("camel.main.routes-include-pattern")
                .orElse(null);
        if (pattern == null || pattern.isBlank() || "false".equals(pattern)) {
            return;
        }
        PackageScanResourceResolver resolver = PluginHelper.getPackageScanResourceResolver(context);
        for (String include : pattern.split(",")) {
            if (include.isBlank()) {
                continue;
            }
            try {
                for (Resource resource : resolver.findResources(include.strip())) {
                    read(context, resource);
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("route files " + include.strip() + " cannot be listed: "
                        + RouteFileReload.oneLine(e), e);
            }
        }
    }

    private static void read(CamelContext context, Resource resource) {
        try {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource))) {
                if (builder instanceof RouteBuilder routes) {
                    routes.configureRoutes(context);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("route file " + resource.getLocation() + " cannot be read: "
                    + RouteFileReload.oneLine(e), e);
        }
    }
}
