package io.sluice.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    @Test
    void roundTripsObjectsUnchanged() {
        List<Map<String, Object>> objects =
                List.of(
                        Map.of(
                                "apiVersion",
                                "v1",
                                "kind",
                                "ConfigMap",
                                "metadata",
                                Map.of("name", "a"),
                                "data",
                                Map.of("k", "${not-substituted}")),
                        Map.of(
                                "apiVersion",
                                "v1",
                                "kind",
                                "Namespace",
                                "metadata",
                                Map.of("name", "apps")));
        assertEquals(objects, Manifests.decode(Manifests.encode(objects)));
    }
}
