package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;

/** A request that reaches the server while the routes start is answered by its endpoint once they are up. */
class StartingAnswersTest {

    @Test
    void aRequestThatArrivesBeforeItsEndpointIsAddedIsAnsweredByItOnceTheRoutesHaveStarted() throws Exception {
        int port = AppHarness.freePort();
        CountDownLatch requestHeld = new CountDownLatch(1);
        DefaultCamelContext context = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        server.setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
        VertxPlatformHttpServer listening = new VertxPlatformHttpServer(server);
        listening.setCamelContext(context);
        context.addService(listening);
        listening.start(); // as in the app: the server listens before the routes start
        StartingAnswers answers = new StartingAnswers(5);
        answers.setCamelContext(context);
        context.getManagementStrategy().addEventNotifier(answers);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // starts first and holds the start until the request waits, so /hello does not exist when it arrives
                from("timer:slow-start?delay=-1&repeatCount=1").routeId("slow-start").startupOrder(1)
                        .routePolicy(new RoutePolicySupport() {
                            @Override
                            public void onStart(Route route) {
                                try {
                                    requestHeld.await(20, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        })
                        .log("started");
                from("platform-http:/hello").routeId("hello").startupOrder(2).setBody(constant("hello"));
            }
        });
        CompletableFuture<Void> start = CompletableFuture.runAsync(context::start);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest hello = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                    .timeout(Duration.ofSeconds(20)).build();
            CompletableFuture<HttpResponse<String>> answer = null;
            for (int i = 0; i < 200 && answers.waiting() == 0; i++) {
                if (answer == null || answer.isDone()) { // the server may not listen yet: connection refused
                    answer = http.sendAsync(hello, HttpResponse.BodyHandlers.ofString());
                }
                Thread.sleep(50);
            }
            assertThat(answers.waiting()).as("the request waits for the routes").isEqualTo(1);
            assertThat(context.getRouteController().getRouteStatus("hello").isStarted())
                    .as("its endpoint is not there yet").isFalse();
            requestHeld.countDown();
            HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        } finally {
            requestHeld.countDown();
            start.get(20, TimeUnit.SECONDS);
            context.stop();
        }
    }
}
