package com.commerceidentity.store;

import java.util.Properties;

/**
 * Serves the stores marked {@code stores.<id>.sandbox=true} in process, so a fresh clone syncs something real
 * without credentials. Found with {@link java.util.ServiceLoader} ({@link Provider}): the app names no
 * simulator, and a build without the sandbox simply has none.
 */
public interface StoreSandbox extends AutoCloseable {

    /** Starts what serves the sandbox stores. */
    interface Provider {
        /**
         * Starts a simulator for every sandbox store of {@code registry} and updates those stores' base URLs and
         * generated credentials in it.
         *
         * @param settings the {@code sandbox.*} settings
         */
        StoreSandbox start(StoreRegistry registry, Properties settings);
    }

    @Override
    void close();

    /** What serves the sandbox stores when {@code sandbox.enabled=false}: nothing. */
    static StoreSandbox none() {
        return () -> { };
    }
}
