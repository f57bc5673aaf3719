package io.sluice.apply.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredStateTest {
    private static final ObjectRef OWNER = new ObjectRef("Kustomization", "ns", "app");

    @Test
    void theOwnersLastAppliedObjectsAreHeldUntilAnythingDiffers() {
        DesiredState state = applied(configMap("a", "1"));
        assertTrue(state.holds(OWNER, List.of(configMap("a", "1"))));
        assertFalse(state.holds(OWNER, List.of(configMap("a", "2"))), "another value");
        assertFalse(
                state.holds(OWNER, List.of(configMap("a", "1"), configMap("b", "1"))),
                "another object");
        assertFalse(
                state.holds(
                        new ObjectRef("Kustomization", "ns", "other"),
                        List.of(configMap("a", "1"))),
                "another owner");
    }

    @Test
    void anObjectIsTheSameWhateverTheOrderOfItsFieldsAndIsKeptAsAppliedThen() {
        GenericKubernetesResource applied = configMap("a", "1");
        applied.setAdditionalProperty("binaryData", Map.of("x", "eA=="));
        DesiredState state = applied(applied);
        applied.setAdditionalProperty("data", Map.of("value", "changed after the apply"));

        GenericKubernetesResource reordered = configMap("a", "1");
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("binaryData", Map.of("x", "eA=="));
        fields.putAll(reordered.getAdditionalProperties());
        reordered.getAdditionalProperties().clear();
        fields.forEach(reordered::setAdditionalProperty);
        assertTrue(state.holds(OWNER, List.of(reordered)));
        assertEquals(
                Map.of("value", "1"),
                state.toCheck(id(applied))
                        .orElseThrow()
                        .object()
                        .getAdditionalProperties()
                        .get("data"));
    }

    @Test
    void objectsDriftCorrectionMayNotHaveKeptAreNotHeldUntilTheNextFullApply() {
        DesiredState failed = applied(configMap("a", "1"));
        failed.correctionFailed(OWNER);
        assertFalse(failed.holds(OWNER, List.of(configMap("a", "1"))), "a correction failed");
        reapply(failed, configMap("a", "1"));
        assertTrue(failed.holds(OWNER, List.of(configMap("a", "1"))), "after a full apply");

        DesiredState applying = applied(configMap("a", "1"));
        applying.beginApply(OWNER);
        assertFalse(applying.holds(OWNER, List.of(configMap("a", "1"))), "being applied");
        assertTrue(applying.toCheck(id(configMap("a", "1"))).isEmpty());
        applying.endApply(OWNER);
        assertFalse(
                applying.holds(OWNER, List.of(configMap("a", "1"))),
                "a change came while it was applied and was not looked at");

        DesiredState unwatched = applied(configMap("a", "1"));
        unwatched.notWatched(configMap("x", "1"));
        assertFalse(unwatched.holds(OWNER, List.of(configMap("a", "1"))), "its kind not watched");
    }

    @Test
    void theVersionTheLastFullApplyLeftAnObjectAtIsKeptForItsOwnerOnly() {
        DesiredState state = new DesiredState();
        state.applied(
                OWNER,
                "main@sha1:1",
                List.of(configMap("a", "1"), configMap("b", "1")),
                null,
                List.of(
                        new AppliedObject(
                                "v1",
                                "ConfigMap",
                                "ns",
                                "a",
                                AppliedObject.Action.CONFIGURED,
                                "42"),
                        new AppliedObject(
                                "v1",
                                "ConfigMap",
                                "ns",
                                "b",
                                AppliedObject.Action.UNCHANGED,
                                null)));
        assertEquals(Optional.of("42"), state.appliedVersion(OWNER, configMap("a", "1")));
        assertEquals(
                Optional.empty(), state.appliedVersion(OWNER, configMap("b", "1")), "not known");
        assertEquals(
                Optional.empty(),
                state.appliedVersion(
                        new ObjectRef("Kustomization", "ns", "other"), configMap("a", "1")),
                "another owner's");
    }

    @Test
    void theLatestVersionSluiceSawAnObjectAtIsKeptAcrossApplies() {
        GenericKubernetesResource a = configMap("a", "1");
        DesiredState state = new DesiredState();
        state.applied(
                OWNER,
                "main@sha1:1",
                List.of(a),
                null,
                List.of(
                        new AppliedObject(
                                "v1", "ConfigMap", "ns", "a", AppliedObject.Action.CREATED, "42")));
        state.seenAt(a, "50");
        assertEquals(Optional.of("50"), state.appliedVersion(OWNER, a), "drift correction's");
        state.seenAt(a, "45");
        assertEquals(Optional.of("50"), state.appliedVersion(OWNER, a), "never lowered");

        state.applied(OWNER, "main@sha1:2", List.of(configMap("a", "1")), null, List.of());
        assertEquals(
                Optional.of("50"),
                state.appliedVersion(OWNER, a),
                "an apply that did not say (left alone in Git)");
    }

    private static DesiredState applied(GenericKubernetesResource... objects) {
        DesiredState state = new DesiredState();
        reapply(state, objects);
        return state;
    }

    private static void reapply(DesiredState state, GenericKubernetesResource... objects) {
        state.beginApply(OWNER);
        state.applied(OWNER, "main@sha1:1", List.of(objects), null, List.of());
        state.endApply(OWNER);
    }

    private static String id(GenericKubernetesResource object) {
        return ObjectId.of(object).id();
    }

    private static GenericKubernetesResource configMap(String name, String value) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion("v1");
        object.setKind("ConfigMap");
        object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        object.setAdditionalProperty("data", Map.of("value", value));
        return object;
    }
}
