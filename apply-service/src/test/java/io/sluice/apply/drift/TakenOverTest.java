package io.sluice.apply.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.contracts.events.ObjectRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TakenOverTest {
    private static final ObjectRef APPS = new ObjectRef("Kustomization", "flux-system", "apps");

    @Test
    void anObjectLabelledForAnotherKustomizationWasTakenOver() {
        assertThat(TakenOver.from(APPS, labelled(kustomization("infra", "flux-system")))).isTrue();
        assertThat(TakenOver.from(APPS, labelled(kustomization("apps", "team-a")))).isTrue();
    }

    @Test
    void itsOwnLabelsOrNoneAreNotATakeover() {
        assertThat(TakenOver.from(APPS, labelled(kustomization("apps", "flux-system")))).isFalse();
        assertThat(TakenOver.from(APPS, labelled(Map.of("app", "web")))).isFalse();
        assertThat(TakenOver.from(APPS, labelled(null))).isFalse();
    }

    @Test
    void aReleaseIsJudgedByHelmControllersLabels() {
        ObjectRef release = new ObjectRef("HelmRelease", "web", "podinfo");
        Map<String, String> ownLabels =
                Map.of(
                        "helm.toolkit.fluxcd.io/name", "podinfo",
                        "helm.toolkit.fluxcd.io/namespace", "web");
        assertThat(TakenOver.from(release, labelled(ownLabels))).isFalse();
        assertThat(
                        TakenOver.from(
                                release,
                                labelled(
                                        Map.of(
                                                "helm.toolkit.fluxcd.io/name", "other",
                                                "helm.toolkit.fluxcd.io/namespace", "web"))))
                .isTrue();
    }

    private static Map<String, String> kustomization(String name, String namespace) {
        return Map.of(
                "kustomize.toolkit.fluxcd.io/name", name,
                "kustomize.toolkit.fluxcd.io/namespace", namespace);
    }

    private static GenericKubernetesResource labelled(Map<String, String> labels) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setMetadata(new ObjectMetaBuilder().withName("moving").withLabels(labels).build());
        return object;
    }
}
