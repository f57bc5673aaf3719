package io.sluice.health.notify;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.ByteArrayInputStream;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP client of a Provider: its proxy and its TLS (a CA, a client certificate, or both, in PEM
 * as {@code certSecretRef} holds them). Clients are kept by what they are made of, so one is built
 * again only when its Secret changes.
 */
final class ProviderClients {
    static {
        // the JDK sends no Basic proxy login for an https tunnel unless told it may; Go's client
        // does
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    /** What a client is made of; holds secrets, so it prints none. */
    record Recipe(URI proxy, String proxyUser, String proxyPassword, Tls tls) {
        @Override
        public String toString() {
            return "Recipe[proxy=" + Redaction.url(proxy) + ", tls=" + (tls != null) + "]";
        }
    }

    /** PEM texts, a private key among them: never printed. */
    record Tls(String ca, String cert, String key) {
        @Override
        public String toString() {
            return "Tls[ca=" + (ca != null) + ", cert=" + (cert != null) + "]";
        }
    }

    private final Map<Recipe, HttpClient> clients = new ConcurrentHashMap<>();

    HttpClient client(Recipe recipe) throws NotificationException {
        HttpClient known = clients.get(recipe);
        if (known != null) {
            return known;
        }
        HttpClient built = build(recipe);
        if (clients.size() >= 64) {
            clients.clear(); // rotated Secrets leave old recipes behind
        }
        clients.put(recipe, built);
        return built;
    }

    private static HttpClient build(Recipe recipe) throws NotificationException {
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        // a redirect is an error, not followed: the JDK would send the token and
                        // headers on to whatever host it names
                        .followRedirects(HttpClient.Redirect.NEVER);
        if (recipe.proxy() != null) {
            URI proxy = recipe.proxy();
            if (!"http".equals(proxy.getScheme())) {
                throw new NotificationException(
                        "proxy scheme '"
                                + proxy.getScheme()
                                + "' is not supported by Sluice (http only)");
            }
            int port = proxy.getPort() > 0 ? proxy.getPort() : 80;
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), port)));
            if (recipe.proxyUser() != null) {
                PasswordAuthentication login =
                        new PasswordAuthentication(
                                recipe.proxyUser(),
                                Objects.toString(recipe.proxyPassword(), "").toCharArray());
                builder.authenticator(
                        new Authenticator() {
                            @Override
                            protected PasswordAuthentication getPasswordAuthentication() {
                                return getRequestorType() == RequestorType.PROXY ? login : null;
                            }
                        });
            }
        }
        if (recipe.tls() != null) {
            builder.sslContext(sslContext(recipe.tls()));
        }
        return builder.build();
    }

    private static SSLContext sslContext(Tls tls) throws NotificationException {
        try {
            TrustManagerFactory trust = null;
            if (tls.ca() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(CertUtils.createTrustStore(base64(tls.ca()), null, null, null));
            }
            KeyManagerFactory keys = null;
            if ((tls.cert() == null) != (tls.key() == null)) {
                throw new NotificationException(
                        "invalid certSecretRef: 'tls.crt' and 'tls.key' go together");
            }
            if (tls.cert() != null) {
                char[] password = new char[0];
                KeyStore store =
                        CertUtils.createKeyStore(
                                new ByteArrayInputStream(
                                        tls.cert().getBytes(StandardCharsets.UTF_8)),
                                new ByteArrayInputStream(
                                        tls.key().getBytes(StandardCharsets.UTF_8)),
                                tls.key().contains("EC PRIVATE KEY") ? "EC" : "RSA",
                                password,
                                null,
                                password);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys == null ? null : keys.getKeyManagers(),
                    trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (Exception e) {
            throw new NotificationException(
                    "failed to build TLS config from the certSecretRef: " + e.getMessage(), e);
        }
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
