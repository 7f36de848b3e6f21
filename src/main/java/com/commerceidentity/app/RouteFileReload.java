package com.commerceidentity.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of one route file at a time. Camel's own strategy removes every route and reloads every file: our
 * routes made from templates at start-up (per-store sync triggers) are then added twice ({@code duplicate route id
 * detected}) and the app is left with a handful of routes and no HTTP API. This one swaps only what the changed file
 * declares (routes, rest endpoints, route templates and the routes made from them, route configurations) and leaves
 * every other route, bean and in-memory state (budgets, sync runs, inputs in flight) alone. A file that does not
 * load leaves its previous routes running, and the reason is logged and kept in {@link #lastOutcome()}.
 */
public class RouteFileReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);
    private volatile String lastOutcome = "no route file reloaded yet";
    private volatile long reloads;

    public RouteFileReload(String directory, boolean recursive) {
        super(directory, recursive);
    }

    /**
     * Put in place of the strategy Camel Main adds for {@code camel.main.routes-reload-enabled}, with the same
     * directory and pattern ({@code camel.main.routes-reload-remove-all-routes} has no effect: only the changed file
     * is swapped).
     */
    static final class Installer extends MainListenerSupport {
        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            java.util.Set<RouteWatcherReloadStrategy> camels = context.hasServices(RouteWatcherReloadStrategy.class);
            if (camels.isEmpty() || camels.stream().anyMatch(RouteFileReload.class::isInstance)) {
                return;
            }
            RouteWatcherReloadStrategy first = camels.iterator().next();
            try {
                RouteFileReload ours = new RouteFileReload(first.getFolder(), first.isRecursive());
                for (RouteWatcherReloadStrategy camel : camels) {
                    // its start is already queued: with no folder it watches nothing
                    camel.setFolder(null);
                    context.removeService(camel);
                }
                ours.setPattern(main.configure().getRoutesReloadPattern());
                context.addService(ours);
            } catch (Exception e) {
                throw new IllegalStateException("route reload could not be set up: " + e.getMessage(), e);
            }
        }
    }

    /** What the last reload did: the file and either the routes it runs or why it was refused. */
    public String lastOutcome() {
        return lastOutcome;
    }

    /** Reloads attempted, refused ones included; lets a caller wait for the next one. */
    public long reloads() {
        return reloads;
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        if (resources == null) {
            // a properties change asks for every route to be rebuilt: routes read settings when they are built,
            // and a restart is the honest way to apply them
            LOG.warn("settings changed on disk: restart the app to apply them (route reload only swaps route files)");
            return;
        }
        for (Resource resource : resources) {
            reload(resource);
        }
    }

    private synchronized void reload(Resource resource) {
        String name = shortName(resource);
        try {
            if (!Files.exists(Paths.get(resource.getURI()))) {
                lastOutcome = name + " was removed: its routes keep running until the next start";
                LOG.warn(lastOutcome);
                return;
            }
            List<String> running = swap(resource);
            lastOutcome = name + " reloaded: " + running.size() + " routes " + running;
            LOG.info(lastOutcome);
        } catch (Exception e) {
            lastOutcome = name + " not reloaded, its previous routes keep running: " + oneLine(e);
            LOG.warn(lastOutcome);
        } finally {
            reloads++;
        }
    }

    private List<String> swap(Resource resource) throws Exception {
        CamelContext context = getCamelContext();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        // parse first: a file that does not parse changes nothing
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));

        Path file = path(resource);
        List<RouteTemplateDefinition> oldTemplates = new ArrayList<>();
        for (RouteTemplateDefinition t : model.getRouteTemplateDefinitions()) {
            if (sameFile(t.getResource(), file)) {
                oldTemplates.add(t);
            }
        }
        List<RouteDefinition> oldRoutes = new ArrayList<>();
        Map<RouteDefinition, RouteTemplateDefinition> instances = new LinkedHashMap<>();
        for (RouteDefinition r : model.getRouteDefinitions()) {
            RouteTemplateDefinition from = templateOf(r, oldTemplates);
            if (from != null) {
                instances.put(r, from);
                oldRoutes.add(r);
            } else if (sameFile(r.getResource(), file)) {
                oldRoutes.add(r);
            }
        }
        List<RouteConfigurationDefinition> oldConfigurations = new ArrayList<>();
        for (RouteConfigurationDefinition c : model.getRouteConfigurationDefinitions()) {
            if (sameFile(c.getResource(), file)) {
                oldConfigurations.add(c);
            }
        }
        List<RestDefinition> oldRests = new ArrayList<>();
        for (RestDefinition r : model.getRestDefinitions()) {
            if (sameFile(r.getResource(), file)) {
                oldRests.add(r);
            }
        }

        // graceful stop: inputs in flight through these routes finish first (camel.main.shutdown-timeout)
        model.removeRouteDefinitions(oldRoutes);
        model.removeRouteTemplateDefinitions(oldTemplates);
        model.getRestDefinitions().removeAll(oldRests);
        try {
            List<String> ids = new ArrayList<>();
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    configurations.updateRouteConfigurationsToCamelContext(context);
                }
            }
            for (RoutesBuilder builder : builders) {
                ids.addAll(builder.updateRoutesToCamelContext(context));
            }
            for (Map.Entry<RouteDefinition, RouteTemplateDefinition> instance : instances.entrySet()) {
                ids.add(context.addRouteFromTemplate(instance.getKey().getRouteId(), instance.getValue().getId(),
                        parameters(instance.getKey())));
            }
            for (String id : ids) {
                if (!context.getRouteController().getRouteStatus(id).isStarted()) {
                    throw new IllegalStateException("route '" + id + "' did not start");
                }
            }
            return ids;
        } catch (Exception | Error e) {
            restore(model, file, oldRoutes, oldTemplates, oldConfigurations, oldRests);
            throw e;
        }
    }

    /** Puts back what the file declared before the failed reload, so the routes it had keep running. */
    private static void restore(Model model, Path file, List<RouteDefinition> routes,
            List<RouteTemplateDefinition> templates, List<RouteConfigurationDefinition> configurations,
            List<RestDefinition> rests) {
        try {
            List<RouteDefinition> added = new ArrayList<>();
            for (RouteDefinition r : model.getRouteDefinitions()) {
                if (sameFile(r.getResource(), file) || routes.stream().anyMatch(o -> Objects.equals(o.getId(), r.getId()))) {
                    added.add(r);
                }
            }
            model.removeRouteDefinitions(added);
            List<RouteTemplateDefinition> addedTemplates = new ArrayList<>();
            for (RouteTemplateDefinition t : model.getRouteTemplateDefinitions()) {
                if (sameFile(t.getResource(), file)) {
                    addedTemplates.add(t);
                }
            }
            model.removeRouteTemplateDefinitions(addedTemplates);
            model.getRestDefinitions().removeIf(r -> sameFile(r.getResource(), file));
            model.getRestDefinitions().addAll(rests);
            model.addRouteConfigurations(configurations);
            model.addRouteTemplateDefinitions(templates);
            model.addRouteDefinitions(routes);
        } catch (Exception e) {
            LOG.error("the previous routes of {} could not be put back ({}): restart the app", file, oneLine(e));
        }
    }

    /**
     * The template a route was made from. Camel keeps no template id on the route: an instance is a copy of its
     * template's route, so the same group and the same (unresolved) input URI identify it.
     */
    private static RouteTemplateDefinition templateOf(RouteDefinition route, List<RouteTemplateDefinition> templates) {
        if (!route.isCreatedFromTemplate() || route.getInput() == null) {
            return null;
        }
        for (RouteTemplateDefinition t : templates) {
            RouteDefinition body = t.getRoute();
            if (body != null && body.getInput() != null && Objects.equals(body.getGroup(), route.getGroup())
                    && Objects.equals(body.getInput().getEndpointUri(), route.getInput().getEndpointUri())) {
                return t;
            }
        }
        return null;
    }

    private static Map<String, Object> parameters(RouteDefinition instance) {
        return instance.getTemplateParameters() == null ? Map.of()
                : new LinkedHashMap<>(instance.getTemplateParameters());
    }

    private static boolean sameFile(Resource resource, Path file) {
        if (resource == null) {
            return false;
        }
        try {
            return file.equals(path(resource));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Path path(Resource resource) {
        String location = resource.getLocation();
        if (location.startsWith("file:")) {
            return Paths.get(location.substring("file:".length())).toAbsolutePath().normalize();
        }
        URI uri = resource.getURI();
        return Paths.get(uri).toAbsolutePath().normalize();
    }

    private static String shortName(Resource resource) {
        try {
            Path p = path(resource);
            Path cwd = Paths.get("").toAbsolutePath();
            return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
        } catch (RuntimeException e) {
            return resource.getLocation();
        }
    }

    private static final java.util.regex.Pattern WHERE = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * The first line of each cause, then where in the file: the YAML DSL puts line and column (and a snippet) on the
     * lines that follow, and the stack trace would only bury them.
     */
    static String oneLine(Throwable e) {
        StringBuilder out = new StringBuilder();
        String where = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            String first = message.lines().findFirst().orElse("");
            if (out.indexOf(first) < 0) {
                out.append(out.length() == 0 ? "" : " / ").append(first);
            }
            java.util.regex.Matcher m = WHERE.matcher(message);
            while (m.find()) {
                where = "line " + m.group(1) + ", column " + m.group(2);
            }
        }
        return where == null ? out.toString() : out + " (" + where + ")";
    }
}
