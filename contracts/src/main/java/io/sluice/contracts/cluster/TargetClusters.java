package io.sluice.contracts.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * {@code spec.kubeConfig}: the cluster a Kustomization applies to, from the kubeconfig in a Secret
 * of its namespace, read as kustomize-controller reads it: the Secret's {@code secretRef.key}, else
 * {@code value}, else {@code value.yaml}; its current context; credential plugins ({@code exec},
 * {@code auth-provider}), the kubeconfig's own impersonation and {@code insecure-skip-tls-verify}
 * dropped (Flux drops them unless started with its insecure flags); references to files refused, as
 * the Secret is all there is. The Secret is read at every call, so a rotated kubeconfig is used at
 * once; one client is kept per kubeconfig.
 */
public final class TargetClusters implements AutoCloseable {
    private static final List<String> DROPPED_USER_FIELDS =
            List.of("exec", "auth-provider", "as", "as-uid", "as-groups", "as-user-extra");
    private static final Map<String, String> USER_FILES =
            Map.of(
                    "tokenFile", "a tokenFile, only an inline token is supported",
                    "client-certificate",
                            "a client-certificate file, only client-certificate-data is supported",
                    "client-key", "a client-key file, only client-key-data is supported");

    private final KubernetesClient local;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    public TargetClusters(KubernetesClient local) {
        this.local = local;
    }

    /** A kubeConfig that cannot give a client, in kustomize-controller's words. */
    public static final class InvalidKubeConfig extends Exception {
        public InvalidKubeConfig(String message) {
            super(message);
        }
    }

    /** Whether {@code kubeConfig} (the spec field) names another cluster. */
    public static boolean remote(JsonNode kubeConfig) {
        return kubeConfig != null && !kubeConfig.isNull() && !kubeConfig.isMissingNode();
    }

    /** The client for the cluster {@code kubeConfig} names: the local one when none. */
    public KubernetesClient clientFor(String namespace, JsonNode kubeConfig)
            throws InvalidKubeConfig {
        if (!remote(kubeConfig)) {
            return local;
        }
        JsonNode secretRef = kubeConfig.path("secretRef");
        if (secretRef.isMissingNode() || secretRef.isNull()) {
            throw new InvalidKubeConfig(
                    kubeConfig.has("configMapRef")
                            ? "spec.kubeConfig.configMapRef (workload identity) is not supported;"
                                    + " use spec.kubeConfig.secretRef"
                            : "invalid .spec.kubeConfig, .spec.kubeConfig.secretRef is not set");
        }
        String name = secretRef.path("name").asText("");
        String key = secretRef.path("key").asText("");
        String secretName = namespace + "/" + name;
        Secret secret;
        try {
            secret = local.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new InvalidKubeConfig(
                    "unable to read KubeConfig secret '"
                            + secretName
                            + "' error: "
                            + e.getMessage());
        }
        if (secret == null) {
            throw new InvalidKubeConfig(
                    "unable to read KubeConfig secret '"
                            + secretName
                            + "' error: secrets \""
                            + name
                            + "\" not found");
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String encoded =
                !key.isEmpty()
                        ? data.get(key)
                        : data.containsKey("value") ? data.get("value") : data.get("value.yaml");
        if (encoded == null) {
            throw new InvalidKubeConfig(
                    "KubeConfig secret '"
                            + secretName
                            + "' does not contain a '"
                            + (key.isEmpty() ? "value" : key)
                            + "' key with a kubeconfig");
        }
        String kubeconfig =
                sanitized(
                        new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8),
                        secretName);
        String digest = sha256(kubeconfig);
        KubernetesClient cached = clients.get(digest);
        if (cached != null) {
            return cached;
        }
        KubernetesClient built = client(kubeconfig, secretName);
        KubernetesClient raced = clients.putIfAbsent(digest, built);
        if (raced != null) {
            built.close();
            return raced;
        }
        return built;
    }

    /**
     * A client for exactly the server the kubeconfig's context names: fabric8 falls back to the
     * in-cluster address when a kubeconfig lacks one, which would be this cluster.
     */
    private static KubernetesClient client(String kubeconfig, String secretName)
            throws InvalidKubeConfig {
        String server = server(kubeconfig, secretName);
        Config config;
        try {
            config = Config.fromKubeconfig(kubeconfig);
        } catch (RuntimeException e) {
            // its message may quote the kubeconfig's credentials
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': no client can be made of it");
        }
        if (!strip(config.getMasterUrl()).equals(strip(server))) {
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': its context's server was not used");
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String strip(String url) {
        return url == null ? "" : url.replaceAll("/+$", "");
    }

    /** The server of the current context's cluster, as client-go insists there is one. */
    @SuppressWarnings("unchecked")
    private static String server(String kubeconfig, String secretName) throws InvalidKubeConfig {
        Map<String, Object> root =
                (Map<String, Object>)
                        new Load(LoadSettings.builder().build()).loadFromString(kubeconfig);
        String context = String.valueOf(root.get("current-context"));
        Map<?, ?> named = named(root.get("contexts"), context);
        if (named == null || !(named.get("context") instanceof Map<?, ?> ctx)) {
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': invalid configuration: context was not found for specified"
                            + " context: "
                            + context);
        }
        Map<?, ?> cluster = named(root.get("clusters"), String.valueOf(ctx.get("cluster")));
        Object server =
                cluster != null && cluster.get("cluster") instanceof Map<?, ?> c
                        ? c.get("server")
                        : null;
        if (!(server instanceof String url) || url.isBlank()) {
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': invalid configuration: cluster has no server defined");
        }
        return url;
    }

    private static Map<?, ?> named(Object entries, String name) {
        for (Object entry : list(entries)) {
            if (entry instanceof Map<?, ?> map && name.equals(String.valueOf(map.get("name")))) {
                return map;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static String sanitized(String kubeconfig, String secretName) throws InvalidKubeConfig {
        Object parsed;
        try {
            parsed = new Load(LoadSettings.builder().build()).loadFromString(kubeconfig);
        } catch (MarkedYamlEngineException e) {
            // the position only: the parser's message quotes the line, which may be a credential
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': the YAML cannot be read"
                            + e.getProblemMark()
                                    .map(
                                            m ->
                                                    " at line "
                                                            + (m.getLine() + 1)
                                                            + ", column "
                                                            + (m.getColumn() + 1))
                                    .orElse(""));
        } catch (RuntimeException e) {
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '" + secretName + "': the YAML cannot be read");
        }
        if (!(parsed instanceof Map<?, ?> map)
                || !(map.get("current-context") instanceof String context)
                || context.isEmpty()) {
            throw new InvalidKubeConfig(
                    "invalid KubeConfig in secret '"
                            + secretName
                            + "': invalid configuration: no configuration has been provided");
        }
        Map<String, Object> root = (Map<String, Object>) map;
        for (Object entry : list(root.get("clusters"))) {
            if (entry instanceof Map<?, ?> named && named.get("cluster") instanceof Map<?, ?> c) {
                Map<String, Object> cluster = (Map<String, Object>) c;
                if (cluster.containsKey("certificate-authority")) {
                    throw new InvalidKubeConfig(
                            "invalid KubeConfig in secret '"
                                    + secretName
                                    + "': cluster '"
                                    + named.get("name")
                                    + "' references a certificate-authority file, only"
                                    + " certificate-authority-data is supported");
                }
                cluster.remove("insecure-skip-tls-verify");
            }
        }
        for (Object entry : list(root.get("users"))) {
            if (entry instanceof Map<?, ?> named && named.get("user") instanceof Map<?, ?> u) {
                Map<String, Object> user = (Map<String, Object>) u;
                for (Map.Entry<String, String> file : USER_FILES.entrySet()) {
                    if (user.containsKey(file.getKey())) {
                        throw new InvalidKubeConfig(
                                "invalid KubeConfig in secret '"
                                        + secretName
                                        + "': user '"
                                        + named.get("name")
                                        + "' references "
                                        + file.getValue());
                    }
                }
                DROPPED_USER_FIELDS.forEach(user::remove);
            }
        }
        return new Dump(DumpSettings.builder().build()).dumpToString(root);
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
    }
}
