package com.commerceidentity.sandbox;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulators {@link SandboxMain} starts, by class name, so that each platform package can be built and
 * merged on its own: a listed class that is not on the class path is skipped. To add a platform, add one
 * line with its class name; the class must extend {@link Simulator} and have a public constructor taking
 * {@link SandboxSettings}.
 */
public final class SimulatorRegistry {

    public static final List<String> SIMULATORS = List.of(
            "com.commerceidentity.sandbox.shopify.ShopifySimulator",
            "com.commerceidentity.sandbox.bigcommerce.BigCommerceSimulator",
            "com.commerceidentity.sandbox.magento.MagentoSimulator",
            "com.commerceidentity.sandbox.medusa.MedusaSimulator",
            "com.commerceidentity.sandbox.woocommerce.WooCommerceSimulator"
    );

    private SimulatorRegistry() {
    }

    /** Listed simulator classes present on the class path, in list order. */
    public static List<Class<? extends Simulator>> available() {
        List<Class<? extends Simulator>> classes = new ArrayList<>();
        for (String name : SIMULATORS) {
            try {
                classes.add(Class.forName(name).asSubclass(Simulator.class));
            } catch (ClassNotFoundException absent) {
                // platform not built in this checkout: skipping it is the point of the registry
            }
        }
        return classes;
    }

    /** A new, not yet started simulator of the given class. */
    public static Simulator create(Class<? extends Simulator> type, SandboxSettings settings) {
        try {
            Constructor<? extends Simulator> constructor = type.getConstructor(SandboxSettings.class);
            Simulator simulator = constructor.newInstance(settings);
            simulator.latency(Latency.of(settings, simulator.platform()));
            return simulator;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public constructor (SandboxSettings)", e);
        }
    }
}
