package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sluice chart as a user installs it: assembled from the services' quarkus-helm charts and
 * Flux's CRDs, lint-clean under --strict with the pinned helm, and every object it renders accepted
 * by the API server in a server-side dry-run; its RBAC binds each service's own ClusterRole to its
 * own ServiceAccount in the release namespace, and only apply-service may write every kind.
 */
@ExtendWith(LocalStackExtension.class)
class HelmChartTest {
    private static final String NS = "sluice-chart";
    private static final String KAFKA = "kafka.bootstrapServers=kafka:9092";

    @Test
    void theChartLintsRendersAndEveryObjectPassesAServerSideDryRun() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Path repo = stack.repoRoot();
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));

        Run lint = run(helm, "lint", "--strict", chart, "--set", KAFKA);
        assertThat(lint.code).as(lint.out).isZero();
        assertThat(lint.out).contains("0 chart(s) failed");

        Run template =
                run(
                        helm,
                        "template",
                        "sluice",
                        chart,
                        "--namespace",
                        NS,
                        "--include-crds",
                        "--set",
                        KAFKA);
        assertThat(template.code).as(template.out).isZero();
        List<HasMetadata> objects =
                client.load(new ByteArrayInputStream(template.out.getBytes(StandardCharsets.UTF_8)))
                        .items();
        assertThat(objects.stream().map(HasMetadata::getKind))
                .contains(
                        "CustomResourceDefinition",
                        "Deployment",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Service")
                .filteredOn("Deployment"::equals)
                .hasSize(4);
        for (String service : List.of("render-service", "apply-service")) {
            // the namespace the pod runs in, not one fixed when the chart was made
            assertThat(
                            find(objects, Deployment.class, service)
                                    .getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getEnv())
                    .filteredOn(e -> e.getName().equals("KUBERNETES_NAMESPACE"))
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                                            .isEqualTo("metadata.namespace"));
        }
        assertThat(find(objects, ConfigMap.class, "sluice-settings").getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("QUARKUS_OTEL_SDK_DISABLED", "true");
        assertThat(objects)
                .filteredOn(o -> o instanceof Deployment)
                .allSatisfy(
                        d ->
                                assertThat(
                                                ((Deployment) d)
                                                        .getSpec()
                                                        .getTemplate()
                                                        .getSpec()
                                                        .getContainers()
                                                        .get(0)
                                                        .getEnvFrom())
                                        .as(d.getMetadata().getName() + " reads the settings")
                                        .anySatisfy(
                                                e ->
                                                        assertThat(e.getConfigMapRef().getName())
                                                                .isEqualTo("sluice-settings")));

        Manifests.apply(client, Manifests.namespace(NS));
        List<String> refused = new ArrayList<>();
        for (HasMetadata object : objects) {
            try {
                var resource =
                        object.getMetadata().getNamespace() == null && namespaced(client, object)
                                ? client.resource(object).inNamespace(NS)
                                : client.resource(object);
                resource.dryRun().fieldManager("helm").forceConflicts().serverSideApply();
            } catch (RuntimeException e) {
                refused.add(
                        object.getKind()
                                + "/"
                                + object.getMetadata().getName()
                                + ": "
                                + e.getMessage());
            }
        }
        assertThat(refused).as("objects the API server refuses").isEmpty();

        for (String service : LocalStack.SERVICES) {
            ClusterRoleBinding binding = find(objects, ClusterRoleBinding.class, service);
            assertThat(binding.getRoleRef().getName()).isEqualTo(service);
            assertThat(binding.getSubjects())
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                                assertThat(s.getName()).isEqualTo(service);
                                assertThat(s.getNamespace()).isEqualTo(NS);
                            });
        }
        assertThat(objects)
                .filteredOn(o -> o instanceof ClusterRoleBinding)
                .extracting(o -> ((ClusterRoleBinding) o).getRoleRef().getName())
                .doesNotContain("cluster-admin", "admin", "edit");
        assertThat(writesEverything(find(objects, ClusterRole.class, "apply-service"))).isTrue();
        for (String reader : List.of("source-service", "render-service", "health-service")) {
            assertThat(writesEverything(find(objects, ClusterRole.class, reader)))
                    .as(reader)
                    .isFalse();
        }
        assertThat(find(objects, ClusterRole.class, "health-service").getRules())
                .filteredOn(r -> r.getResources().contains("*"))
                .singleElement()
                // reads only: its waits watch what they wait on
                .satisfies(r -> assertThat(r.getVerbs()).containsExactly("get", "list", "watch"));
    }

    @Test
    void valuesThatCannotWorkAreRefusedAtInstallNamingTheValue() throws Exception {
        Path repo = LocalStackExtension.stack().repoRoot();
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));

        Run noKafka = run(helm, "template", "sluice", chart);
        assertThat(noKafka.code).isNotZero();
        assertThat(noKafka.out).contains("/kafka/bootstrapServers");

        Run notAUrl =
                run(
                        helm,
                        "template",
                        "sluice",
                        chart,
                        "--set",
                        KAFKA,
                        "--set",
                        "otel.endpoint=jaeger");
        assertThat(notAUrl.code).isNotZero();
        assertThat(notAUrl.out).contains("/otel/endpoint");

        Run traced =
                run(
                        helm,
                        "template",
                        "sluice",
                        chart,
                        "--set",
                        KAFKA,
                        "--set",
                        "otel.endpoint=http://jaeger-collector:4317",
                        "--set",
                        "serviceMonitor.enabled=true");
        assertThat(traced.code).as(traced.out).isZero();
        assertThat(traced.out)
                .contains(
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: \"http://jaeger-collector:4317\"")
                .contains("QUARKUS_OTEL_SDK_DISABLED: \"false\"");
        assertThat(traced.out.split("kind: ServiceMonitor", -1)).hasSize(5);
    }

    private static boolean writesEverything(ClusterRole role) {
        return role.getRules().stream()
                .filter(r -> r.getApiGroups().contains("*") && r.getResources().contains("*"))
                .map(PolicyRule::getVerbs)
                .anyMatch(v -> v.contains("create") || v.contains("patch") || v.contains("delete"));
    }

    private static boolean namespaced(KubernetesClient client, HasMetadata object) {
        return new io.sluice.contracts.meta.ServedKinds(client)
                .namespaced(object.getApiVersion(), object.getKind())
                .orElse(true);
    }

    private static <T extends HasMetadata> T find(
            List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        type.getSimpleName() + " " + name + " not rendered"));
    }

    private record Run(int code, String out) {}

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), out);
    }
}
