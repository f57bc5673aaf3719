package io.sluice.apply.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestStoreTest {
    @Test
    void keepsAnObjectsIdentityAndDigestOnly() {
        DigestStore store = new DigestStore();
        store.put("ns/web", deployment(2, "3", "1"));
        GenericKubernetesResource kept = store.get("ns/web");
        assertEquals("Deployment", kept.getKind());
        assertEquals("web", kept.getMetadata().getName());
        assertEquals("3", kept.getMetadata().getResourceVersion());
        assertNull(kept.getAdditionalProperties().get("spec"));
        assertEquals(Map.of(), kept.getMetadata().getLabels());
    }

    @Test
    void anUpdateOfStatusOrVersionIsNoChangeAndOneOfSpecOrLabelsIs() {
        DigestStore store = new DigestStore();
        GenericKubernetesResource before = DigestStore.kept(deployment(2, "3", "1"));
        assertFalse(store.changed(before, deployment(2, "4", "2")), "status and version");
        assertTrue(store.changed(before, deployment(3, "4", "1")), "spec");
        GenericKubernetesResource relabelled = deployment(2, "4", "1");
        relabelled.getMetadata().getLabels().put("team", "b");
        assertTrue(store.changed(before, relabelled), "labels");

        GenericKubernetesResource stored = deployment(3, "5", "1");
        store.put("ns/web", stored);
        assertTrue(store.changed(before, stored), "as the store holds it");
    }

    private static GenericKubernetesResource deployment(
            int replicas, String resourceVersion, String availableReplicas) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion("apps/v1");
        object.setKind("Deployment");
        object.setMetadata(
                new ObjectMetaBuilder()
                        .withName("web")
                        .withNamespace("ns")
                        .withResourceVersion(resourceVersion)
                        .addToLabels("team", "a")
                        .build());
        object.setAdditionalProperty("spec", Map.of("replicas", replicas));
        object.setAdditionalProperty("status", Map.of("availableReplicas", availableReplicas));
        return object;
    }
}
