package com.commerceidentity.app;

import org.apache.camel.main.Main;

/**
 * Starts Commerce Identity Feed on Camel Main, with settings from {@link SettingSources}: {@code -Dkey=value},
 * the environment ({@code app.data-dir} → {@code APP_DATA_DIR}), the top-level {@code application.properties} in
 * the working directory, then the copy inside the jar.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        SettingSources.ofThisProcess().applyTo(main);
        StartOrder.addTo(main);
        main.addMainListener(new HttpServerLimits());
        main.addMainListener(new ListeningCheck());
        main.addMainListener(new RouteFileReload.Installer());
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            // Exit even though threads started before the failure (sandbox stores, HTTP servers) are still
            // alive: a half-started app must not sit there looking healthy to a supervisor.
            // One line naming the cause (file, line and column for a route file): the stack trace says where in
            // Camel it was noticed, which ops cannot act on.
            System.err.println("commerce-identity-feed failed to start: " + RouteFileReload.oneLine(e));
            try {
                ClosingService.afterFailedStart(main);
            } catch (Exception closing) {
                System.err.println("  and closing what had started failed too: " + RouteFileReload.oneLine(closing));
            }
            code = 1;
        }
        System.exit(code);
    }
}
