package com.commerceidentity.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commerceidentity.app.EmbeddedApp;
import com.commerceidentity.platform.PlatformModule;
import com.commerceidentity.platform.PlatformModules;
import com.commerceidentity.platform.SyncSurface;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each platform's route file declares its sync trigger as a route template whose parameters say what they take
 * (type and bounds first, then meaning), and every store's schedule is made from its own platform's template.
 */
class PlatformSyncTemplatesTest {
    static final List<String> PARAMETERS = List.of("storeId", "surface", "cron", "pageSize");

    @TempDir
    Path dir;

    @Test
    void everyPlatformDeclaresItsSyncTemplateAndEveryStoreSurfaceIsMadeFromIt() throws Exception {
        try (SyncHarness sync = new SyncHarness(dir, Map.of(
                "app.sync.cron", "0 0 0 1 1 ? 2098",
                "stores.magento-sandbox.sync.customers.page-size", "7"))) {
            CamelContext context = sync.app.context();
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            for (PlatformModule module : PlatformModules.all()) {
                String file = "routes/platforms/" + module.id() + ".yaml";
                RouteTemplateDefinition template = model.getRouteTemplateDefinition(module.id() + "-sync");
                assertThat(template).as(file + " declares " + module.id() + "-sync").isNotNull();
                assertThat(template.getDescription()).as(file).isNotBlank();
                Map<String, RouteTemplateParameterDefinition> params = new LinkedHashMap<>();
                template.getTemplateParameters().forEach(p -> params.put(p.getName(), p));
                assertThat(params).as(file).containsOnlyKeys(PARAMETERS);
                for (RouteTemplateParameterDefinition p : params.values()) {
                    assertThat(p.getDescription()).as(file + " describes " + p.getName()).isNotBlank();
                    if (!Boolean.TRUE.equals(p.getRequired())) {
                        assertThat(p.getDefaultValue()).as(file + ": optional " + p.getName() + " has a default")
                                .isNotBlank();
                    }
                }
                for (SyncSurface surface : module.surfaces()) {
                    assertThat(params.get("surface").getDescription()).as(file + " lists its surfaces")
                            .startsWith("string").contains(surface.name());
                    assertThat(params.get("pageSize").getDescription()).as(file + " states each largest page")
                            .startsWith("integer, ").contains("1-" + surface.largestPage());
                }
                assertThat(params.get("cron").getDescription()).startsWith("Quartz cron");
            }

            StoreRegistry stores = sync.app.bean("storeRegistry", StoreRegistry.class);
            // SyncHarness sets every sandbox store's sync.cron and sync.staff-cron to this far-away time.
            String harnessCron = "0 0 0 1 1 ? 2099";
            SyncSurfaces surfaces = new SyncSurfaces("0 0 0 1 1 ? 2098", "0 0 0 1 1 ? 2098", "0 30 3 * * ?",
                    java.time.Duration.ZERO);
            int made = 0;
            for (StoreConfig store : stores.all()) {
                for (String surface : surfaces.scheduled(store)) {
                    String id = "sync-" + store.id() + "-" + surface;
                    Route route = context.getRoute(id);
                    assertThat(route).as(id).isNotNull();
                    assertThat(route.isCreatedByRouteTemplate()).isTrue();
                    RouteTemplateDefinition own = model.getRouteTemplateDefinition(store.platform().id() + "-sync");
                    assertThat(route.getGroup()).as(id + " is one of its platform's routes").isEqualTo(store.platform().id());
                    assertThat(route.getDescription()).isEqualTo(own.getRoute().getDescription());
                    assertThat(model.getRouteDefinition(id).getTemplateParameters())
                            .containsEntry("storeId", store.id()).containsEntry("surface", surface)
                            .containsEntry("pageSize", Integer.toString(SyncSurfaces.pageSize(store, surface)));
                    assertThat(context.getRouteController().getRouteStatus(id)).isEqualTo(ServiceStatus.Started);
                    assertThat(((QuartzEndpoint) route.getEndpoint()).getCron()).isEqualTo(harnessCron);
                    made++;
                }
            }
            assertThat(made).as("every sandbox store has surfaces to sync").isGreaterThanOrEqualTo(5);
            assertThat(model.getRouteDefinition("sync-magento-sandbox-customers").getTemplateParameters())
                    .containsEntry("pageSize", "7");

            // The default cron of a template is app.sync.cron, resolved when the route is made.
            context.addRouteFromTemplate("by-hand", "medusa-sync",
                    Map.of("storeId", "by-hand", "surface", "customers", "pageSize", "50"));
            assertThat(((QuartzEndpoint) context.getRoute("by-hand").getEndpoint()).getCron())
                    .isEqualTo("0 0 0 1 1 ? 2098");
        }
    }

    @Test
    void aPlatformWithoutItsSyncTemplateStopsStartUpNamingItsRouteFile() {
        String others = String.join(",", PlatformModules.ids().stream().filter(id -> !id.equals("medusa"))
                .map(id -> "file:routes/platforms/" + id + ".yaml").toList());
        assertThatThrownBy(() -> EmbeddedApp.start(Map.of(
                "app.data-dir", dir.resolve("data").toString(),
                "app.inbox-dir", dir.resolve("inbox").toString(),
                "camel.server.port", Integer.toString(SyncHarness.freePort()),
                "camel.main.routes-include-pattern", "file:routes/*.yaml,file:routes/*.xml," + others,
                "sandbox.enabled", "false",
                "app.sync.enabled", "true",
                "app.sync.run-at-start", "false")).close())
                .hasStackTraceContaining("routes/platforms/medusa.yaml must declare it");
    }
}
