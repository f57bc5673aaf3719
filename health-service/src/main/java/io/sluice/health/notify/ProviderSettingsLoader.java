package io.sluice.health.notify;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.notification.Provider;
import io.sluice.contracts.notification.ProviderSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

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

        URI proxy = spec.proxy == null || spec.proxy.isBlank() ? null : uri(spec.proxy.trim());
        String proxyUser = null;
        String proxyPassword = null;
        if (secret.containsKey("proxy")) {
            proxy = uri(secret.get("proxy").trim());
        }
        if (spec.proxySecretRef != null) {
            Map<String, String> proxySecret = data(namespace, spec.proxySecretRef);
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
            tls =
                    new ProviderClients.Tls(
                            either(certs, "ca.crt", "caFile"),
                            either(certs, "tls.crt", "certFile"),
                            either(certs, "tls.key", "keyFile"));
        } else if (CommitStatus.TYPES.contains(spec.type) && secret.containsKey("ca.crt")) {
            // as Flux: a commit status provider may keep its CA beside its token
            tls = new ProviderClients.Tls(secret.get("ca.crt"), null, null);
        }
        return new ProviderSettings(
                provider.getMetadata().getName(),
                provider.getMetadata().getUid(),
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
                clients.client(new ProviderClients.Recipe(proxy, proxyUser, proxyPassword, tls)));
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
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private static Map<String, String> headers(String yaml) throws NotificationException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (yaml == null || yaml.isBlank()) {
            return headers;
        }
        try {
            Object parsed = new Load(LoadSettings.builder().build()).loadFromString(yaml);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new NotificationException(
                        "failed to read headers from secret: not a map of strings");
            }
            map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
            return headers;
        } catch (RuntimeException e) {
            throw new NotificationException(
                    "failed to read headers from secret: " + e.getMessage(), e);
        }
    }

    private static String either(Map<String, String> data, String key, String legacy) {
        return data.containsKey(key) ? data.get(key) : data.get(legacy);
    }

    private static URI uri(String text) throws NotificationException {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new NotificationException("invalid proxy URL: " + e.getMessage());
        }
    }
}
