package com.commerceidentity.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.camel.Ordered;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.LoadablePropertiesSource;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where settings come from, first match wins: {@code -Dkey=value}, the environment ({@link EnvironmentKeys}),
 * the operator's {@code application.properties} in the working directory, the copy inside the jar. Every key of
 * every family ({@code camel.*}, {@code app.*}, {@code sandbox.*}, {@code stores.<id>.*}) obeys that order, both
 * when asked for by name and when listed (a store defined only by {@code -D} or the environment is a store).
 *
 * <p>Camel's own environment handling is switched off in favour of this one: it skips every variable ending in
 * {@code _PORT} (it takes them for Kubernetes service links, so {@code CAMEL_SERVER_PORT} did nothing) and turns
 * every {@code _} into {@code .} ({@code CAMEL_MAIN_SHUTDOWN_TIMEOUT} named no option).
 */
public final class SettingSources {
    static final List<String> FAMILIES = List.of("camel.", "app.", "sandbox.", "stores.");

    private final Properties system;
    private final Map<String, String> environment;
    private final Path operatorFile;

    public SettingSources(Properties system, Map<String, String> environment, Path operatorFile) {
        this.system = system;
        this.environment = Map.copyOf(environment);
        this.operatorFile = operatorFile;
    }

    /** This process's system properties and environment, and {@code application.properties} where it runs. */
    public static SettingSources ofThisProcess() {
        return new SettingSources(System.getProperties(), System.getenv(), Path.of("application.properties"));
    }

    void applyTo(Main main) {
        main.setDefaultPropertyPlaceholderLocation("file:" + operatorFile + ";optional=true,"
                + "classpath:application.properties;optional=true");
        main.configure().setAutoConfigurationEnvironmentVariablesEnabled(false);
        main.configure().setAutoConfigurationSystemPropertiesEnabled(false);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                install(m.getCamelContext().getPropertiesComponent());
            }
        });
    }

    private void install(PropertiesComponent pc) {
        Set<String> fileKeys = pc.loadProperties().stringPropertyNames();
        Set<String> storeKeys = new TreeSet<>(EnvironmentKeys.storeKeysIn(fileKeys));
        storeKeys.addAll(StoreKeys.known(pc));
        Properties fromEnvironment = EnvironmentKeys.keys(environment, fileKeys, storeKeys);
        Properties fromSystem = new Properties();
        for (String key : system.stringPropertyNames()) {
            if (FAMILIES.stream().anyMatch(key::startsWith)) {
                fromSystem.setProperty(key, system.getProperty(key));
            }
        }
        var camelPc = (org.apache.camel.component.properties.PropertiesComponent) pc;
        camelPc.setSystemPropertiesMode(org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        camelPc.setEnvironmentVariableMode(
                org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        pc.addPropertiesSource(new Layer("system properties", Ordered.HIGHEST, fromSystem, null));
        pc.addPropertiesSource(new Layer("environment", Ordered.HIGHEST + 1, fromEnvironment, environment));
    }

    /** One source of settings, listed by key; the environment also answers a key asked for by its env name. */
    private record Layer(String name, int order, Properties listed, Map<String, String> byEnvName)
            implements LoadablePropertiesSource, Ordered {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getOrder() {
            return order;
        }

        @Override
        public String getProperty(String key) {
            String v = listed.getProperty(key);
            if (v == null && byEnvName != null && FAMILIES.stream().anyMatch(key::startsWith)) {
                v = byEnvName.get(EnvironmentKeys.envName(key));
            }
            return v;
        }

        @Override
        public Properties loadProperties() {
            return loadProperties(k -> true);
        }

        @Override
        public Properties loadProperties(Predicate<String> filter) {
            Properties out = new Properties();
            listed.stringPropertyNames().stream().filter(filter).forEach(k -> out.setProperty(k, listed.getProperty(k)));
            return out;
        }

        @Override
        public void reloadProperties(String location) {
            // fixed for the life of the process, like the environment itself
        }
    }
}
