package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input in one repository, one Kustomization per case: each must end Ready=False
 * BuildFailed with a message naming the file (or path) and the cause, publish an error alert naming
 * the Kustomization, and apply nothing. (Broken YAML, an unset strict variable and a missing chart
 * have their own tests in PipelineTest, FluxLayerTest and HelmReleaseTest.)
 */
@ExtendWith(LocalStackExtension.class)
class BadInputTest {
    private static final String NS = "bad-input";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static KubernetesClient client;
    private static GitWorkspace repo;
    private static TopicReader alerts;

    /** Kustomization name → (its spec.path, what the Ready message must contain). */
    static Map<String, String[]> cases() {
        return Map.of(
                "duplicate", new String[] {"./duplicate", "already registered id", "two.yaml"},
                "unknown-target",
                        new String[] {
                            "./unknown-target",
                            "no matches for Id ConfigMap.v1.[noGrp]/nowhere",
                            "patch"
                        },
                "missing-path",
                        new String[] {
                            "./not/there",
                            "path './not/there' not found in the artifact",
                            "not/there"
                        },
                "escape",
                        new String[] {
                            "./escape",
                            "'../../outside.yaml' points outside the artifact root",
                            "escape/kustomization.yaml"
                        });
    }

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        alerts = new TopicReader(stack.kafkaBootstrapServers(), Topics.ALERTS);
        String url = stack.git().create("bad-input");
        String config =
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: must-not-exist\n  namespace: bad-input\ndata: {a: \"1\"}\n";
        repo =
                GitWorkspace.init(Files.createTempDirectory("bad-input"), url)
                        .write("duplicate/one.yaml", config)
                        .write("duplicate/two.yaml", config)
                        .write("duplicate/kustomization.yaml", "resources: [one.yaml, two.yaml]\n")
                        .write("unknown-target/config.yaml", config)
                        .write(
                                "unknown-target/kustomization.yaml",
                                """
                        resources: [config.yaml]
                        patches:
                        - patch: |
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: nowhere}
                            data: {b: "2"}
                        """)
                        .write("escape/kustomization.yaml", "resources: [../../outside.yaml]\n");
        repo.commitAndPush("bad input");
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(client, Manifests.gitRepository(NS, "bad-input", url, "10m"));
        cases().forEach(
                        (name, c) ->
                                Manifests.apply(
                                        client,
                                        """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: bad-input}
                spec:
                  interval: 10m
                  path: %s
                  prune: true
                  sourceRef: {kind: GitRepository, name: bad-input}
                """
                                                .formatted(name, c[0])));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
        alerts.close();
    }

    @ParameterizedTest
    @MethodSource("names")
    void failsTheBuildSaysWhyAlertsAndAppliesNothing(String name) {
        String[] c = cases().get(name);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(name))
                                        .hasValueSatisfying(
                                                condition -> {
                                                    assertThat(condition.getStatus())
                                                            .isEqualTo("False");
                                                    assertThat(condition.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(condition.getMessage())
                                                            .contains(c[1])
                                                            .contains(c[2]);
                                                }));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                alerts.poll().stream()
                                        .anyMatch(
                                                r ->
                                                        ("Kustomization/" + NS + "/" + name)
                                                                        .equals(r.key())
                                                                && r.value()
                                                                        .contains(
                                                                                "\"severity\":\"error\"")
                                                                && r.value()
                                                                        .contains("BuildFailed")));
        assertThat(client.configMaps().inNamespace(NS).withName("must-not-exist").get()).isNull();
    }

    static java.util.stream.Stream<String> names() {
        return cases().keySet().stream().sorted();
    }

    private static Optional<Condition> ready(String name) {
        return FluxReady.of(client, NS, name);
    }
}
