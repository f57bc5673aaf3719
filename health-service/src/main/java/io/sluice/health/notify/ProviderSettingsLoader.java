package io.sluice.health.notify;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.notification.Provider;
import io.sluice.contracts.notification.ProviderSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Reads a Provider's Secrets as notification-controller does: {@code secretRef} may give the {@code
 * address} (over {@code spec.address}), {@code token}, {@code username} with {@code password},
 * {@code headers} (a YAML map) and {@code proxy}; {@code proxySecretRef} gives the proxy ({@code
 * address}, {@code username}, {@code password}), over both; {@code certSecretRef} the TLS ({@code
 * ca.crt}, {@code tls.crt}, {@code tls.key}).
 */
final class ProviderSettingsLoader {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private final KubernetesClient client;
    private final ProviderClients clients = new ProviderClients();

    ProviderSettingsLoader(KubernetesClient client) {
        this.client = client;
    }

    ProviderSettings load(Provider provider) throws NotificationException {
        ProviderSpec spec = provider.getSpec();
        String namespace = provider.getMetadata().getNamespace();
        Map<String, String> secret = data(namespace, spec.secretRef);
        Set<String> secrets = new HashSet<>(secret.values());
        String address = spec.address;
        if (secret.containsKey("address")) {
            address = secret.get("address").trim();
        }
        if (address != null && address.length() > 2048) {
            throw new NotificationException(
                    "invalid address in secret: longer than 2048 characters");
        }
        String username = spec.username;
        String password = null;
        if (secret.containsKey("username") && secret.containsKey("password")) {
            username = secret.get("username");
            password = secret.get("password");
        }
        Map<String, String> headers = headers(secret.get("headers"));
        secrets.addAll(headers.values());

        URI proxy = spec.proxy == null || spec.proxy.isBlank() ? null : uri(spec.proxy.trim());
        String proxyUser = null;
        String proxyPassword = null;
        if (secret.containsKey("proxy")) {
            proxy = uri(secret.get("proxy").trim());
        }
        if (spec.proxySecretRef != null) {
            Map<String, String> proxySecret = data(namespace, spec.proxySecretRef);
            secrets.addAll(proxySecret.values());
            String proxyAddress = proxySecret.get("address");
            if (proxyAddress == null || proxyAddress.isBlank()) {
                throw new NotificationException(
                        "invalid proxy secret '"
                                + namespace
                                + "/"
                                + spec.proxySecretRef.getName()
                                + "': key 'address' is missing");
            }
            proxy = uri(proxyAddress.trim());
            proxyUser = proxySecret.get("username");
            proxyPassword = proxySecret.get("password");
        }
        ProviderClients.Tls tls = null;
        if (spec.certSecretRef != null) {
            Map<String, String> certs = data(namespace, spec.certSecretRef);
            secrets.addAll(certs.values());
            tls =
                    new ProviderClients.Tls(
                            either(certs, "ca.crt", "caFile"),
                            either(certs, "tls.crt", "certFile"),
                            either(certs, "tls.key", "keyFile"));
        } else if (CommitStatus.TYPES.contains(spec.type) && secret.containsKey("ca.crt")) {
            // as Flux: a commit status provider may keep its CA beside its token
            tls = new ProviderClients.Tls(secret.get("ca.crt"), null, null);
        }
        if (proxy != null && proxy.getRawUserInfo() != null && proxyUser == null) {
            // as Go's http.ProxyURL: the user and password may be in the proxy's address
            String[] login = proxy.getUserInfo().split(":", 2);
            proxyUser = login[0];
            proxyPassword = login.length > 1 ? login[1] : "";
            secrets.add(proxyPassword);
        }
        return new ProviderSettings(
                spec.type,
                address,
                spec.channel,
                username,
                secret.get("token"),
                password,
                headers,
                spec.timeout == null || spec.timeout.isEmpty()
                        ? DEFAULT_TIMEOUT
                        : GoDuration.parse(spec.timeout),
                clients.client(new ProviderClients.Recipe(proxy, proxyUser, proxyPassword, tls)),
                Set.copyOf(secrets));
    }

    private Map<String, String> data(String namespace, LocalObjectReference ref)
            throws NotificationException {
        if (ref == null || ref.getName() == null) {
            return Map.of();
        }
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        } catch (KubernetesClientException e) {
            throw new NotificationException(
                    "failed to get secret '"
                            + namespace
                            + "/"
                            + ref.getName()
                            + "': "
                            + e.getMessage(),
                    e);
        }
        if (secret == null) {
            throw new NotificationException(
                    "failed to get secret '"
                            + namespace
                            + "/"
                            + ref.getName()
                            + "': secrets \""
                            + ref.getName()
                            + "\" not found");
        }
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach(
                            (k, v) ->
                                    data.put(
                                            k,
                                            new String(
                                                    Base64.getDecoder().decode(v),
                                                    StandardCharsets.UTF_8)));
        }
        return data;
    }

    private static Map<String, String> headers(String yaml) throws NotificationException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (yaml == null || yaml.isBlank()) {
            return headers;
        }
        Object parsed;
        try {
            parsed = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        } catch (MarkedYamlEngineException e) {
            // the problem and its line only: the engine's own message quotes the line, a secret
            throw new NotificationException(
                    "failed to read headers from secret: "
                            + e.getProblem()
                            + e.getProblemMark()
                                    .map(m -> " at line " + (m.getLine() + 1))
                                    .orElse(""));
        } catch (RuntimeException e) {
            throw new NotificationException("failed to read headers from secret: not YAML");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new NotificationException(
                    "failed to read headers from secret: not a map of strings");
        }
        map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        return headers;
    }

    private static String either(Map<String, String> data, String key, String legacy) {
        return data.containsKey(key) ? data.get(key) : data.get(legacy);
    }

    private static URI uri(String text) throws NotificationException {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new NotificationException("invalid proxy URL: no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            // not the URL itself: it may hold the proxy's password
            throw new NotificationException("invalid proxy URL: " + e.getReason());
        }
    }
}
