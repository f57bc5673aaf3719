package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
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
        List<HasMetadata> objects = objects(client, template);
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
        assertThat(refusedByDryRun(client, objects)).as("objects the API server refuses").isEmpty();

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

        Run notAUrl = template(helm, chart, KAFKA, "otel.endpoint=jaeger");
        assertThat(notAUrl.code).isNotZero();
        assertThat(notAUrl.out).contains("/otel/endpoint");

        Run traced =
                template(
                        helm,
                        chart,
                        KAFKA,
                        "otel.endpoint=http://jaeger-collector:4317",
                        "serviceMonitor.enabled=true");
        assertThat(traced.code).as(traced.out).isZero();
        assertThat(traced.out)
                .contains(
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: \"http://jaeger-collector:4317\"")
                .contains("QUARKUS_OTEL_SDK_DISABLED: \"false\"");
        assertThat(traced.out.split("kind: ServiceMonitor", -1)).hasSize(5);
    }

    /**
     * {@code global.replicas} makes each service that many Deployments of one pod, each pod with a
     * stable name of its own (static membership in Kafka's groups) and selected by its Deployment
     * alone, each source-service pod reachable for its artifacts through a Service of its own; more
     * replicas than partitions are refused.
     */
    @Test
    void eachReplicaIsADeploymentOfOnePodWithAStableNameAndSourceServiceAServiceOfItsOwn()
            throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Path repo = stack.repoRoot();
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));

        Run template =
                run(
                        helm,
                        "template",
                        "sluice",
                        chart,
                        "--namespace",
                        NS,
                        "--set",
                        KAFKA,
                        "--set",
                        "global.replicas=2");
        assertThat(template.code).as(template.out).isZero();
        List<HasMetadata> objects = objects(client, template);
        List<Deployment> deployments =
                objects.stream()
                        .filter(Deployment.class::isInstance)
                        .map(Deployment.class::cast)
                        .toList();
        List<String> names = new ArrayList<>();
        for (String service : LocalStack.SERVICES) {
            names.add(service);
            names.add(service + "-1");
        }
        assertThat(deployments)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(names);
        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            String instance = name.endsWith("-1") ? name : name + "-0";
            var pod = deployment.getSpec().getTemplate();
            assertThat(deployment.getSpec().getStrategy().getType()).as(name).isEqualTo("Recreate");
            assertThat(pod.getSpec().getContainers().get(0).getEnv().get(0))
                    .as(name + "'s first variable, which later ones may refer to")
                    .satisfies(
                            e -> {
                                assertThat(e.getName()).isEqualTo("SLUICE_INSTANCE");
                                assertThat(e.getValue()).isEqualTo(instance);
                            });
            assertThat(pod.getSpec().getContainers().get(0).getEnv().get(1))
                    .as(name + ": how many replicas its service has (one alone keeps no lease)")
                    .satisfies(
                            e -> {
                                assertThat(e.getName()).isEqualTo("SLUICE_REPLICAS");
                                assertThat(e.getValue()).isEqualTo("2");
                            });
            assertThat(deployments)
                    .as("the Deployments whose selector takes " + name + "'s pod")
                    .filteredOn(
                            other ->
                                    selects(
                                            other.getSpec().getSelector().getMatchLabels(),
                                            pod.getMetadata().getLabels()))
                    .singleElement()
                    .isSameAs(deployment);
        }
        for (String instance : List.of("source-service-0", "source-service-1")) {
            io.fabric8.kubernetes.api.model.Service service =
                    find(objects, io.fabric8.kubernetes.api.model.Service.class, instance);
            assertThat(deployments)
                    .as("the pods " + instance + " selects")
                    .filteredOn(
                            d ->
                                    selects(
                                            service.getSpec().getSelector(),
                                            d.getSpec().getTemplate().getMetadata().getLabels()))
                    .extracting(d -> d.getMetadata().getName())
                    .containsExactly(instance.replace("-0", ""));
        }
        assertThat(
                        find(objects, Deployment.class, "source-service-1")
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getEnv())
                .filteredOn(e -> e.getName().equals("SLUICE_ARTIFACT_BASE_URL"))
                .singleElement()
                // the kubelet expands it to http://source-service-1, that replica's Service
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("http://$(SLUICE_INSTANCE)"));

        Manifests.apply(client, Manifests.namespace(NS));
        assertThat(refusedByDryRun(client, objects)).as("objects the API server refuses").isEmpty();

        Run tooMany = template(helm, chart, KAFKA, "global.replicas=7");
        assertThat(tooMany.code).isNotZero();
        assertThat(tooMany.out)
                .contains("global.replicas (7) is more than kafka.topics.partitions (6)");
        Run none = template(helm, chart, KAFKA, "global.replicas=0");
        assertThat(none.code).isNotZero();
        assertThat(none.out).contains("/global/replicas");
    }

    private static boolean selects(
            java.util.Map<String, String> selector, java.util.Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    @Test
    void kafkasSecurityProtocolAndMechanismAreSettingsAndItsSecretIsMountedWhenItExists()
            throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        Path repo = stack.repoRoot();
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));

        Run secured =
                template(
                        helm,
                        chart,
                        KAFKA,
                        "kafka.securityProtocol=SASL_SSL",
                        "kafka.sasl.mechanism=SCRAM-SHA-512");
        assertThat(secured.code).as(secured.out).isZero();
        List<HasMetadata> objects =
                stack.client()
                        .load(
                                new ByteArrayInputStream(
                                        secured.out.getBytes(StandardCharsets.UTF_8)))
                        .items();
        assertThat(find(objects, ConfigMap.class, "sluice-settings").getData())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        for (String service : LocalStack.SERVICES) {
            var pod = find(objects, Deployment.class, service).getSpec().getTemplate().getSpec();
            // optional: a cluster whose Kafka needs no CA or login has none of these Secrets
            assertThat(pod.getVolumes())
                    .filteredOn(v -> v.getSecret() != null)
                    .allSatisfy(v -> assertThat(v.getSecret().getOptional()).isTrue())
                    .extracting(v -> v.getSecret().getSecretName())
                    .containsExactlyInAnyOrder(
                            "sluice-kafka", "sluice-cluster-ca-cert", service + "-kafka");
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .filteredOn(m -> m.getMountPath().startsWith("/etc/sluice/"))
                    .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
                    .extracting(m -> m.getMountPath())
                    .containsExactlyInAnyOrder(
                            "/etc/sluice/kafka", "/etc/sluice/kafka-ca", "/etc/sluice/kafka-user");
        }

        Run plain = template(helm, chart, KAFKA);
        assertThat(plain.out)
                .contains("KAFKA_SECURITY_PROTOCOL: \"PLAINTEXT\"")
                .doesNotContain("KAFKA_SASL_MECHANISM");

        Run noMechanism = template(helm, chart, KAFKA, "kafka.securityProtocol=SASL_SSL");
        assertThat(noMechanism.code).isNotZero();
        assertThat(noMechanism.out).contains("/kafka/sasl/mechanism");

        Run unknown = template(helm, chart, KAFKA, "kafka.securityProtocol=TLS");
        assertThat(unknown.code).isNotZero();
        assertThat(unknown.out).contains("/kafka/securityProtocol");
    }

    /**
     * With {@code kafka.strimzi.enabled} and {@code createCluster}, the chart's Kafka,
     * KafkaNodePool, KafkaTopics and KafkaUsers pass a server-side dry-run against Strimzi's own
     * CRDs (generated as Strimzi's build generates them, deploy/crds/strimzi/fetch), the topics are
     * those the services declare, with their retention, and the services are set to reach the
     * cluster's TLS listener with SCRAM logins.
     */
    @Test
    void strimziResourcesPassADryRunAgainstStrimzisCrdsAndAreTheTopicsTheServicesDeclare()
            throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Path repo = stack.repoRoot();
        String crds = Launcher.output(repo.resolve("deploy/crds/strimzi/fetch"));
        List<HasMetadata> strimziCrds = new ArrayList<>();
        try (var files = java.nio.file.Files.list(Path.of(crds))) {
            for (Path crd : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                strimziCrds.addAll(client.load(java.nio.file.Files.newInputStream(crd)).items());
            }
        }
        try {
            for (HasMetadata crd : strimziCrds) {
                client.resource(crd).fieldManager("strimzi").forceConflicts().serverSideApply();
                LocalStack.awaitEstablished(client, crd.getMetadata().getName());
            }
            strimziResourcesAreAccepted(client, repo);
        } finally {
            // the other tests' Helm capabilities list the cluster's CRDs
            strimziCrds.forEach(crd -> client.resource(crd).delete());
        }
    }

    private static void strimziResourcesAreAccepted(KubernetesClient client, Path repo)
            throws Exception {
        String chart = Launcher.output(repo.resolve("deploy/helm/assemble"));
        String helm = Launcher.output(repo.resolve("deploy/local/helm/build"));
        Run template =
                run(
                        helm,
                        "template",
                        "sluice",
                        chart,
                        "--namespace",
                        NS,
                        "--set",
                        "kafka.strimzi.enabled=true",
                        "--set",
                        "kafka.strimzi.createCluster=true");
        assertThat(template.code).as(template.out).isZero();
        List<HasMetadata> objects = objects(client, template);
        List<HasMetadata> strimzi =
                objects.stream()
                        .filter(o -> o.getApiVersion().startsWith("kafka.strimzi.io/"))
                        .toList();
        assertThat(strimzi)
                .extracting(HasMetadata::getKind)
                .containsOnly("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser")
                .hasSize(2 + Topics.RETENTION.size() + LocalStack.SERVICES.size());

        Manifests.apply(client, Manifests.namespace(NS));
        assertThat(refusedByDryRun(client, strimzi)).as("objects the API server refuses").isEmpty();

        java.util.Map<String, Long> retention = new java.util.HashMap<>();
        for (HasMetadata object : strimzi) {
            if (object.getKind().equals("KafkaTopic")) {
                var spec =
                        (java.util.Map<?, ?>)
                                ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) object)
                                        .getAdditionalProperties()
                                        .get("spec");
                assertThat(spec.get("partitions")).isEqualTo(6);
                var config = (java.util.Map<?, ?>) spec.get("config");
                assertThat(config.get("max.message.bytes")).isEqualTo(16777216);
                retention.put(
                        (String) spec.get("topicName"),
                        ((Number) config.get("retention.ms")).longValue());
            }
        }
        java.util.Map<String, Long> declared = new java.util.HashMap<>();
        Topics.RETENTION.forEach((topic, kept) -> declared.put(topic, kept.toMillis()));
        assertThat(retention).isEqualTo(declared);

        assertThat(find(objects, ConfigMap.class, "sluice-settings").getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "sluice-kafka-bootstrap:9093")
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("SLUICE_TOPICS_DECLARE", "false");

        Run otherName =
                template(
                        helm,
                        chart,
                        "kafka.strimzi.enabled=true",
                        "kafka.strimzi.createCluster=true",
                        "kafka.strimzi.cluster=events");
        assertThat(otherName.code).isNotZero();
        assertThat(otherName.out).contains("the cluster must be named sluice");
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

    /**
     * Each object the API server refuses in a server-side dry-run (in the test's namespace when it
     * is namespaced and names none), with why.
     */
    private static List<String> refusedByDryRun(
            KubernetesClient client, List<HasMetadata> objects) {
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
        return refused;
    }

    /** {@code helm template sluice <chart>} with each of {@code values} set. */
    private static Run template(String helm, String chart, String... values) throws Exception {
        List<String> command = new ArrayList<>(List.of(helm, "template", "sluice", chart));
        for (String value : values) {
            command.add("--set");
            command.add(value);
        }
        return run(command.toArray(String[]::new));
    }

    private record Run(int code, String out) {}

    /** The objects a {@code helm template} printed. */
    private static List<HasMetadata> objects(KubernetesClient client, Run template) {
        return client.load(new ByteArrayInputStream(template.out.getBytes(StandardCharsets.UTF_8)))
                .items();
    }

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), out);
    }
}
