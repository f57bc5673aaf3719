package io.sluice.apply.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.apply.drift.DriftPolicy;
import io.sluice.apply.owner.OwnerView;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.ObjectRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DependencyGateTest {
    private final Map<ObjectRef, OwnerView> owners = new HashMap<>();
    private final DependencyGate gate =
            new DependencyGate(ref -> Optional.ofNullable(owners.get(ref)));

    @Test
    void withoutDependenciesNothingBlocks() {
        put("apps", true, "git/flux/repo", "main@sha1:1");
        assertThat(gate.blocked(ref("apps"), "main@sha1:1")).isEmpty();
    }

    @Test
    void aMissingNotReadyOrStaleDependencyBlocks() {
        put("apps", false, "git/flux/repo", null, ref("infra"));
        assertThat(gate.blocked(ref("apps"), "main@sha1:2"))
                .hasValueSatisfying(
                        f -> is(f, "DependencyNotReady", "dependency 'flux/infra' not found"));

        put("infra", false, "git/flux/repo", null);
        assertThat(gate.blocked(ref("apps"), "main@sha1:2"))
                .hasValueSatisfying(
                        f -> is(f, "DependencyNotReady", "dependency 'flux/infra' is not ready"));

        owners.put(
                ref("infra"),
                new OwnerView(
                        ref("infra"),
                        3,
                        2,
                        true,
                        "main@sha1:2",
                        "git/flux/repo",
                        List.of(),
                        false,
                        false,
                        true,
                        DriftPolicy.CORRECT,
                        Map.of(),
                        Map::of));
        assertThat(gate.blocked(ref("apps"), "main@sha1:2"))
                .hasValueSatisfying(
                        f -> is(f, "DependencyNotReady", "generation 3 not yet reconciled"));

        put("infra", true, "git/flux/repo", "main@sha1:1");
        assertThat(gate.blocked(ref("apps"), "main@sha1:2"))
                .hasValueSatisfying(
                        f ->
                                is(
                                        f,
                                        "DependencyNotReady",
                                        "revision main@sha1:2 not yet applied (it is at main@sha1:1)"));

        put("infra", true, "git/flux/repo", "main@sha1:2");
        assertThat(gate.blocked(ref("apps"), "main@sha1:2")).isEmpty();
    }

    @Test
    void aDependencyOnAnotherSourceNeedsOnlyToBeReady() {
        put("apps", false, "git/flux/apps", null, ref("infra"));
        put("infra", true, "git/flux/infra", "main@sha1:9");
        assertThat(gate.blocked(ref("apps"), "main@sha1:2")).isEmpty();
    }

    @Test
    void aCycleIsReportedAsOne() {
        put("a", false, "git/flux/repo", null, ref("b"));
        put("b", false, "git/flux/repo", null, ref("c"));
        put("c", false, "git/flux/repo", null, ref("a"));
        assertThat(gate.blocked(ref("a"), "r"))
                .hasValueSatisfying(
                        f ->
                                is(
                                        f,
                                        "DependencyCycle",
                                        "dependency cycle: flux/a -> flux/b -> flux/c -> flux/a"));
        put("self", false, "git/flux/repo", null, ref("self"));
        assertThat(gate.blocked(ref("self"), "r"))
                .hasValueSatisfying(f -> is(f, "DependencyCycle", "flux/self -> flux/self"));
    }

    @Test
    void aCycleFurtherDownTheChainIsWaitedOnNotReportedHere() {
        put("top", false, "git/flux/repo", null, ref("x"));
        put("x", false, "git/flux/repo", null, ref("y"));
        put("y", false, "git/flux/repo", null, ref("x"));
        assertThat(gate.blocked(ref("top"), "r"))
                .hasValueSatisfying(
                        f -> is(f, "DependencyNotReady", "dependency 'flux/x' is not ready"));
    }

    @Test
    void aReadyExprReplacesTheBuiltInChecksReadingSelfAndDep() {
        Map<String, Object> dep =
                Map.of(
                        "metadata",
                        Map.of("name", "infra", "generation", 3),
                        "status",
                        Map.of("observedGeneration", 3, "phase", "Migrating"));
        putWithExpr(
                "apps",
                "dep.status.observedGeneration == dep.metadata.generation",
                Map.of("metadata", Map.of("name", "apps")));
        putWithExpr("infra", null, dep); // not Ready: the built-in check would block
        assertThat(gate.blocked(ref("apps"), "r")).isEmpty();

        putWithExpr(
                "apps",
                "dep.status.phase == 'Done' && self.metadata.name == 'apps'",
                Map.of("metadata", Map.of("name", "apps")));
        assertThat(gate.blocked(ref("apps"), "r"))
                .hasValueSatisfying(
                        f ->
                                is(
                                        f,
                                        "DependencyNotReady",
                                        "dependency 'flux/infra' is not ready according to readyExpr eval"));

        putWithExpr("apps", "dep.status.phase ==", Map.of());
        assertThat(gate.blocked(ref("apps"), "r"))
                .hasValueSatisfying(
                        f ->
                                assertThat(f.message())
                                        .startsWith("failed to evaluate dependency infra: "));
    }

    private void putWithExpr(String name, String readyExpr, Map<String, Object> object) {
        boolean depends = readyExpr != null;
        owners.put(
                ref(name),
                new OwnerView(
                        ref(name),
                        1,
                        1,
                        false,
                        null,
                        "git/flux/repo",
                        depends ? List.of(ref("infra")) : List.of(),
                        false,
                        false,
                        true,
                        DriftPolicy.CORRECT,
                        depends ? Map.of(ref("infra"), readyExpr) : Map.of(),
                        () -> object));
    }

    private void put(
            String name, boolean ready, String source, String revision, ObjectRef... dependsOn) {
        owners.put(
                ref(name),
                new OwnerView(
                        ref(name),
                        1,
                        1,
                        ready,
                        revision,
                        source,
                        List.of(dependsOn),
                        false,
                        false,
                        true,
                        DriftPolicy.CORRECT,
                        Map.of(),
                        Map::of));
    }

    private static ObjectRef ref(String name) {
        return new ObjectRef("Kustomization", "flux", name);
    }

    private static void is(Failure failure, String reason, String message) {
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.message()).contains(message);
    }
}
