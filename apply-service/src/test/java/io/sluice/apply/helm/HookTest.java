package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HookTest {

    @Test
    void eventsAreSplitTrimmedAndLowerCasedAndTheDefaultPolicyIsBeforeHookCreation() {
        Hook hook =
                Hook.of(object("Job", "a", Map.of("helm.sh/hook", " Pre-Install , post-upgrade")))
                        .orElseThrow();
        assertThat(hook.events()).containsExactly("pre-install", "post-upgrade");
        assertThat(hook.weight()).isZero();
        assertThat(hook.policies()).containsExactly("before-hook-creation");
    }

    @Test
    void aHookNamingAnEventHelmDoesNotKnowIsNoHook() {
        assertThat(
                        Hook.of(
                                object(
                                        "Job",
                                        "a",
                                        Map.of("helm.sh/hook", "pre-install,pre-everything"))))
                .isEmpty();
        assertThat(Hook.isHook(object("Job", "a", Map.of("helm.sh/hook", "pre-everything"))))
                .isTrue();
    }

    @Test
    void aWeightThatIsNoNumberIsZeroAndPoliciesAreKept() {
        Hook hook =
                Hook.of(
                                object(
                                        "Job",
                                        "a",
                                        Map.of(
                                                "helm.sh/hook",
                                                "pre-delete",
                                                "helm.sh/hook-weight",
                                                "heavy",
                                                "helm.sh/hook-delete-policy",
                                                "hook-succeeded,hook-failed")))
                        .orElseThrow();
        assertThat(hook.weight()).isZero();
        assertThat(hook.policies()).containsExactly("hook-succeeded", "hook-failed");
    }

    @Test
    void onlyTheHooksOfTheEventRunOrderedByWeightThenNameThenKind() {
        List<Hook> hooks =
                List.of(
                        hook("Job", "b", "pre-install", "5"),
                        hook("Job", "a", "pre-install", "5"),
                        hook("ConfigMap", "a", "pre-install", "5"),
                        hook("Job", "z", "pre-install", "-5"),
                        hook("Job", "uninstall", "pre-delete", "-10"),
                        hook("Job", "rollback", "pre-rollback", "-10"),
                        hook("Job", "both", "pre-install,pre-upgrade", "0"),
                        hook("Job", "upgrade", "post-upgrade", "0"));
        assertThat(Hook.forEvent(hooks, Hook.PRE_INSTALL))
                .extracting(h -> h.object().getKind() + "/" + h.object().getMetadata().getName())
                .containsExactly("Job/z", "Job/both", "ConfigMap/a", "Job/a", "Job/b");
        assertThat(Hook.forEvent(hooks, Hook.PRE_UPGRADE))
                .extracting(h -> h.object().getMetadata().getName())
                .containsExactly("both");
        assertThat(Hook.forEvent(hooks, Hook.PRE_DELETE))
                .extracting(h -> h.object().getMetadata().getName())
                .containsExactly("uninstall");
        assertThat(Hook.forEvent(hooks, Hook.POST_INSTALL)).isEmpty();
    }

    @Test
    void aHookSurvivesTheRoundTripThroughHelmsStoredForm() {
        Hook hook = hook("Job", "migrate", "pre-upgrade,pre-install", "3");
        Hook stored = Hook.fromJson(hook.toJson());
        assertThat(stored.events()).containsExactly("pre-upgrade", "pre-install");
        assertThat(stored.weight()).isEqualTo(3);
        assertThat(stored.object().getKind()).isEqualTo("Job");
        assertThat(stored.object().getMetadata().getName()).isEqualTo("migrate");
        assertThat(stored.object().getMetadata().getAnnotations())
                .containsEntry("helm.sh/hook", "pre-upgrade,pre-install");
    }

    private static Hook hook(String kind, String name, String events, String weight) {
        Optional<Hook> hook =
                Hook.of(
                        object(
                                kind,
                                name,
                                Map.of("helm.sh/hook", events, "helm.sh/hook-weight", weight)));
        return hook.orElseThrow();
    }

    static GenericKubernetesResource object(
            String kind, String name, Map<String, String> annotations) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion("ConfigMap".equals(kind) ? "v1" : "batch/v1");
        object.setKind(kind);
        object.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace("apps")
                        .withAnnotations(new HashMap<>(annotations))
                        .build());
        return object;
    }
}
