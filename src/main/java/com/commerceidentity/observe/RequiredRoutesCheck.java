package com.commerceidentity.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Not ready while a route the service cannot work without is missing or stopped. Camel's own route checks
 * look only at routes that exist: a route lost in a failed reload, or never created, goes unnoticed by them.
 */
public final class RequiredRoutesCheck extends AbstractHealthCheck {
    private final List<String> required;

    /** @param required route ids (app.health.required-routes) */
    public RequiredRoutesCheck(List<String> required) {
        super("commerce-identity", "required-routes");
        this.required = List.copyOf(required);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> notRunning = new ArrayList<>();
        for (String id : required) {
            Route route = getCamelContext().getRoute(id);
            ServiceStatus status = route == null ? null : getCamelContext().getRouteController().getRouteStatus(id);
            if (status != ServiceStatus.Started) {
                notRunning.add(id + (route == null ? " (missing)" : " (" + status + ")"));
            }
        }
        builder.detail("required", String.join(",", required));
        if (notRunning.isEmpty()) {
            builder.up();
        } else {
            builder.detail("notRunning", String.join(",", notRunning));
            builder.message("required routes not running: " + String.join(", ", notRunning)).down();
        }
    }
}
