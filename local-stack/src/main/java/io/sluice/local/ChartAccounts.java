package io.sluice.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services run as the chart makes them run: its ServiceAccounts, ClusterRoles and bindings
 * (rendered by the pinned helm from {@code deploy/helm/assemble}'s chart) are installed, and each
 * service gets a kubeconfig holding its own account's token (TokenRequest), so the RBAC the chart
 * grants is exactly what the services have, in every system test.
 */
final class ChartAccounts {
    private static final Set<String> RBAC_KINDS =
            Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    /** Longer than any deploy/local/up session lasts. */
    private static final long TOKEN_LIFETIME = 365L * 24 * 3600;

    private ChartAccounts() {}

    /** Each service's kubeconfig, written to {@code dir}. */
    static Map<String, Path> install(
            Path repoRoot, KubernetesClient admin, Path adminKubeconfig, String namespace, Path dir)
            throws IOException, InterruptedException {
        // only the RBAC objects are taken: Kafka's address is the chart's one required value
        Map<String, String> values = Map.of("kafka.bootstrapServers", "kafka:9092");
        for (HasMetadata object : SluiceChart.render(repoRoot, admin, namespace, values)) {
            if (RBAC_KINDS.contains(object.getKind())) {
                // as Helm marks what it installs, so a later helm install of the chart adopts them
                Map<String, String> labels = new LinkedHashMap<>();
                if (object.getMetadata().getLabels() != null) {
                    labels.putAll(object.getMetadata().getLabels());
                }
                labels.put("app.kubernetes.io/managed-by", "Helm");
                object.getMetadata().setLabels(labels);
                object.getMetadata()
                        .setAnnotations(
                                Map.of(
                                        "meta.helm.sh/release-name",
                                        SluiceRelease.NAME,
                                        "meta.helm.sh/release-namespace",
                                        namespace));
                var resource =
                        object.getKind().startsWith("Cluster")
                                ? admin.resource(object)
                                : admin.resource(object).inNamespace(namespace);
                resource.fieldManager("helm").forceConflicts().serverSideApply();
            }
        }
        Files.createDirectories(dir);
        String adminConfig = Files.readString(adminKubeconfig);
        Map<String, Path> kubeconfigs = new LinkedHashMap<>();
        for (String service : LocalStack.SERVICES) {
            String token = token(admin, namespace, service);
            Path kubeconfig = dir.resolve(service + ".kubeconfig");
            Files.writeString(kubeconfig, asAccount(adminConfig, service, token));
            kubeconfigs.put(service, kubeconfig);
        }
        return kubeconfigs;
    }

    /** A token of the chart's ServiceAccount {@code account} (TokenRequest, a year long). */
    static String token(KubernetesClient admin, String namespace, String account) {
        TokenRequest request =
                admin.serviceAccounts()
                        .inNamespace(namespace)
                        .withName(account)
                        .tokenRequest(
                                new TokenRequestBuilder()
                                        .withNewSpec()
                                        .withExpirationSeconds(TOKEN_LIFETIME)
                                        .endSpec()
                                        .build());
        return request.getStatus().getToken();
    }

    /** The admin kubeconfig's cluster, with the account's token for its user. */
    private static String asAccount(String adminConfig, String service, String token) {
        Matcher user = Pattern.compile("(?ms)^users:\\n.*?(?=^contexts:)").matcher(adminConfig);
        if (!user.find()) {
            throw new IllegalStateException("the admin kubeconfig has no users section");
        }
        return adminConfig.substring(0, user.start())
                + "users:\n- name: sluice-admin\n  user:\n    token: "
                + token
                + "\n"
                + adminConfig.substring(user.end())
                + "# "
                + service
                + ": system:serviceaccount as the chart binds it\n";
    }
}
