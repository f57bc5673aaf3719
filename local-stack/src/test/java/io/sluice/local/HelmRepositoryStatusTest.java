package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.HelmRepository;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A HelmRepository that can never be fetched says why as source-controller does: an {@code oci://}
 * URL on a default-type repository is {@code URLInvalid} and Stalled; a missing login Secret is
 * {@code AuthenticationFailed}, not Stalled (the Secret may yet appear).
 */
@ExtendWith(LocalStackExtension.class)
class HelmRepositoryStatusTest {
    private static final String NS = "helm-repository-status";

    @Test
    void anOciUrlOnADefaultRepositoryIsStalledAndAMissingSecretIsNot() {
        KubernetesClient client = LocalStackExtension.stack().client();
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: oci-url, namespace: helm-repository-status}
                spec:
                  interval: 10m
                  url: oci://ghcr.io/stefanprodan/charts
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: no-secret, namespace: helm-repository-status}
                spec:
                  interval: 10m
                  url: https://charts.example.com
                  secretRef: {name: absent}
                """);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            List<Condition> conditions = conditions(client, "oci-url");
                            assertThat(find(conditions, Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason()).isEqualTo("URLInvalid");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type");
                                            });
                            assertThat(find(conditions, Conditions.STALLED))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getStatus()).isEqualTo("True"));
                        });
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            List<Condition> conditions = conditions(client, "no-secret");
                            assertThat(find(conditions, Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getReason())
                                                        .isEqualTo("AuthenticationFailed");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "failed to get authentication secret 'helm-repository-status/absent': secrets \"absent\" not found");
                                            });
                            assertThat(find(conditions, Conditions.STALLED)).isEmpty();
                        });
    }

    private static List<Condition> conditions(KubernetesClient client, String name) {
        HelmRepository repository =
                client.resources(HelmRepository.class).inNamespace(NS).withName(name).get();
        return repository == null || repository.getStatus() == null
                ? List.of()
                : repository.getStatus().conditions;
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type);
    }
}
