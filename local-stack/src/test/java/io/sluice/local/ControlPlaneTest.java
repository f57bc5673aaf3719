package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the local control plane is the real thing: the semantics the fabric8 mock server lacks all
 * work here.
 */
@ExtendWith(LocalStackExtension.class)
class ControlPlaneTest {
    private static final String NS = "control-plane-test";
    private static KubernetesClient client;

    @BeforeAll
    static void namespace() {
        client = LocalStackExtension.stack().client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
    }

    @Test
    void serverSideApplyByASecondFieldManagerConflicts() {
        client.resource(configMap("shared", "one")).fieldManager("first").serverSideApply();
        assertThatThrownBy(
                        () ->
                                client.resource(configMap("shared", "two"))
                                        .fieldManager("second")
                                        .serverSideApply())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(
                        e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409))
                .hasMessageContaining("conflict");
        client.resource(configMap("shared", "two"))
                .fieldManager("second")
                .forceConflicts()
                .serverSideApply();
        ConfigMap live = client.configMaps().inNamespace(NS).withName("shared").get();
        assertThat(live.getData()).containsEntry("value", "two");
        assertThat(live.getMetadata().getManagedFields()).extracting("manager").contains("second");
    }

    @Test
    void aDryRunApplyDoesNotPersist() {
        ConfigMap dryRun =
                client.resource(configMap("dry", "x"))
                        .dryRun()
                        .fieldManager("test")
                        .serverSideApply();
        assertThat(dryRun.getData()).containsEntry("value", "x");
        assertThat(client.configMaps().inNamespace(NS).withName("dry").get()).isNull();
    }

    @Test
    void aDeploymentBecomesAvailableWithoutAContainerRuntime() {
        Deployment deployment =
                new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .withMatchLabels(Map.of("app", "web"))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "web"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("web")
                        .withImage("nginx")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build();
        client.resource(deployment).create();
        Deployment available =
                client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("web")
                        .waitUntilCondition(
                                d ->
                                        d.getStatus() != null
                                                && d.getStatus().getConditions() != null
                                                && d.getStatus().getConditions().stream()
                                                        .anyMatch(
                                                                c ->
                                                                        "Available"
                                                                                        .equals(
                                                                                                c
                                                                                                        .getType())
                                                                                && "True"
                                                                                        .equals(
                                                                                                c
                                                                                                        .getStatus())),
                                60,
                                TimeUnit.SECONDS);
        assertThat(available.getStatus().getAvailableReplicas()).isEqualTo(2);
    }

    @Test
    void aJobCompletes() {
        Job job =
                new JobBuilder()
                        .withNewMetadata()
                        .withName("once")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .addNewContainer()
                        .withName("once")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build();
        client.resource(job).create();
        Job done =
                client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName("once")
                        .waitUntilCondition(
                                j ->
                                        j.getStatus() != null
                                                && j.getStatus().getSucceeded() != null
                                                && j.getStatus().getSucceeded() == 1,
                                60,
                                TimeUnit.SECONDS);
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    }

    @Test
    void sluiceCrdsAreEstablished() {
        for (String name :
                new String[] {
                    "gitrepositories.source.toolkit.fluxcd.io",
                    "kustomizations.kustomize.toolkit.fluxcd.io"
                }) {
            var crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            assertThat(crd.getStatus().getConditions())
                    .anySatisfy(
                            c -> {
                                assertThat(c.getType()).isEqualTo("Established");
                                assertThat(c.getStatus()).isEqualTo("True");
                            });
        }
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withData(Map.of("value", value))
                .build();
    }
}
