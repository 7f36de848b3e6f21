package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Camel's global SSL context configured (docs/security.md), the API answers over HTTPS with its token, and
 * the same port does not answer plain HTTP.
 */
class ApiTlsTest {
    private static final String PASSWORD = "test-keystore-pass";
    private static final String READ_TOKEN = "tls-test-read-token";

    @TempDir
    Path dir;

    /** A self-signed key for 127.0.0.1, made with the JDK's keytool as an operator would. */
    private Path keystore() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        return p12;
    }

    private static HttpClient trusting(Path p12) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void theFeedIsServedOverHttpsWithTheTokenAndPlainHttpIsNotAnswered() throws Exception {
        Path p12 = keystore();
        try (AppHarness app = new AppHarness(dir, Map.of(
                "camel.ssl.enabled", "true",
                "camel.ssl.keyStore", "file:" + p12,
                "camel.ssl.keystorePassword", PASSWORD,
                "camel.server.useGlobalSslContextParameters", "true",
                "app.api.read-token", READ_TOKEN))) {
            HttpClient https = trusting(p12);
            URI feed = URI.create("https://127.0.0.1:" + app.port + "/feed?limit=1");
            HttpResponse<String> withToken = https.send(HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + READ_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).isEqualTo(200);
            assertThat(withToken.body()).contains("\"events\"");
            assertThat(https.send(HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token").isEqualTo(401);

            assertThatThrownBy(() -> app.getWithToken("/feed?limit=1", READ_TOKEN))
                    .as("plain http on the TLS port").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(feed).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the key").isInstanceOf(IOException.class);
        }
    }
}
