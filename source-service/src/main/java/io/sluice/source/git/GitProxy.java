package io.sluice.source.git;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.source.GitRepository;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * A GitRepository's {@code proxySecretRef}, read as source-controller reads it ({@code address},
 * optional {@code username} and {@code password}): HTTP(S) fetches go through that HTTP proxy, with
 * Basic proxy authentication when a username is given. Refusals in Flux's words, never with the
 * password.
 */
record GitProxy(Proxy proxy, String authorization) {
    private static final Set<String> FLUX_SCHEMES = Set.of("http", "https", "socks5");

    /** The proxy of {@code repository}, none without a {@code proxySecretRef}. */
    static Optional<GitProxy> of(KubernetesClient client, GitRepository repository)
            throws GitFetchException {
        if (repository.getSpec().proxySecretRef == null) {
            return Optional.empty();
        }
        String namespace = repository.getMetadata().getNamespace();
        String name = namespace + "/" + repository.getSpec().proxySecretRef.getName();
        Secret secret =
                client.secrets()
                        .inNamespace(namespace)
                        .withName(repository.getSpec().proxySecretRef.getName())
                        .get();
        if (secret == null) {
            throw refused("secret '" + name + "' not found");
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (!data.containsKey("address")) {
            throw refused("secret '" + name + "': key 'address' not found");
        }
        String address = text(data.get("address"));
        if (address.isEmpty()) {
            throw refused("secret '" + name + "': proxy address is empty");
        }
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw refused(
                    "secret '"
                            + name
                            + "': failed to parse proxy address '"
                            + address.replaceAll("//[^/@]*@", "//")
                            + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!FLUX_SCHEMES.contains(scheme)) {
            throw refused(
                    "secret '"
                            + name
                            + "': proxy URL must use one of the supported schemes (http, https,"
                            + " socks5), got '"
                            + scheme
                            + "'");
        }
        if (!"http".equals(scheme)) {
            throw refused(
                    "secret '"
                            + name
                            + "': a "
                            + scheme
                            + " proxy is not supported yet (http only)");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(uri.getHost(), port));
        String authorization = null;
        if (data.containsKey("username")) {
            if (repository.getSpec().url != null && repository.getSpec().url.startsWith("https:")) {
                // the JDK sends the tunnel's CONNECT without it (and the header would then go to
                // the Git host inside the tunnel)
                throw refused(
                        "secret '"
                                + name
                                + "': a proxy login for an https:// repository is not supported"
                                + " yet");
            }
            String login = text(data.get("username")) + ":" + text(data.get("password"));
            authorization =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(login.getBytes(StandardCharsets.UTF_8));
        }
        return Optional.of(new GitProxy(proxy, authorization));
    }

    /** JGit's HTTP connections, made through this proxy. */
    HttpConnectionFactory connections() {
        JDKHttpConnectionFactory direct = new JDKHttpConnectionFactory();
        return new HttpConnectionFactory() {
            @Override
            public HttpConnection create(URL url) throws IOException {
                return create(url, null);
            }

            @Override
            public HttpConnection create(URL url, Proxy ignored) throws IOException {
                HttpConnection connection = direct.create(url, proxy);
                if (authorization != null && "http".equals(url.getProtocol())) {
                    connection.setRequestProperty("Proxy-Authorization", authorization);
                }
                return connection;
            }
        };
    }

    @Override
    public String toString() {
        return "GitProxy[" + proxy + "]"; // never the login
    }

    private static GitFetchException refused(String why) {
        return GitFetchException.withReason(
                Reasons.AUTHENTICATION_FAILED, "failed to configure proxy options: " + why);
    }

    private static String text(String base64) {
        return base64 == null
                ? ""
                : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
