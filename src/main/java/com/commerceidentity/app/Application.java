package com.commerceidentity.app;

import org.apache.camel.main.Main;

/**
 * Starts Commerce Identity Feed on Camel Main. Settings come from the top-level
 * {@code application.properties} in the working directory (a copy inside the jar supplies the defaults when
 * run elsewhere); any key can be overridden with {@code -Dkey=value} or an environment variable
 * ({@code app.data-dir} → {@code APP_DATA_DIR}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.setDefaultPropertyPlaceholderLocation(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        main.configure().addConfiguration(AppBeans.class);
        int code = main.run(args);
        System.exit(code);
    }
}
