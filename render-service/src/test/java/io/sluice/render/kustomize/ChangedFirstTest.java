package io.sluice.render.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.kustomize.KustomizationSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangedFirstTest {

    @Test
    void aDirectoryHoldsTheFilesUnderItAsSpecPathWritesIt() {
        List<String> changed = List.of("apps/web/deployment.yaml");
        assertTrue(ChangedFirst.holdsAny("./apps/web", changed));
        assertTrue(ChangedFirst.holdsAny("apps/web/", changed));
        assertTrue(ChangedFirst.holdsAny("./apps/../apps/web", changed));
        assertTrue(ChangedFirst.holdsAny("./", changed));
        assertTrue(ChangedFirst.holdsAny(null, changed));
        assertFalse(ChangedFirst.holdsAny("./apps/we", changed));
        assertFalse(ChangedFirst.holdsAny("./apps/db", changed));
    }

    @Test
    void theKustomizationsOfChangedDirectoriesRenderFirstThenTheRest() {
        List<Kustomization> readers =
                List.of(ks("a", "./apps/a"), ks("b", "./apps/b"), ks("c", "./apps/c"));
        ChangedFirst order = ChangedFirst.of(readers, List.of("apps/c/objects.yaml"));
        assertEquals(List.of("c"), names(order.first()));
        assertEquals(List.of("a", "b"), names(order.then()));
        ChangedFirst unknown = ChangedFirst.of(readers, null);
        assertEquals(List.of("a", "b", "c"), names(unknown.first()), "all together");
        assertEquals(List.of(), names(unknown.then()));
    }

    private static Kustomization ks(String name, String path) {
        Kustomization ks = new Kustomization();
        ks.setMetadata(new ObjectMeta());
        ks.getMetadata().setName(name);
        ks.setSpec(new KustomizationSpec());
        ks.getSpec().path = path;
        return ks;
    }

    private static List<String> names(List<Kustomization> list) {
        return list.stream().map(k -> k.getMetadata().getName()).toList();
    }
}
