package io.sluice.contracts.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.api.Test;

class StoreWithoutManagedFieldsTest {

    @Test
    void objectsAreKeptWithoutTheirFieldManagersAndFoundByNamespaceAndName() {
        StoreWithoutManagedFields<ConfigMap> store = new StoreWithoutManagedFields<>();
        ConfigMap object =
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .withNamespace("apps")
                        .withManagedFields(
                                new ManagedFieldsEntryBuilder().withManager("sluice").build())
                        .endMetadata()
                        .addToData("greeting", "hello")
                        .build();
        store.put(store.getKey(object), object);

        ConfigMap kept = store.get("apps/settings");
        assertThat(kept.getMetadata().getManagedFields()).isNull();
        assertThat(kept.getData()).containsEntry("greeting", "hello");
    }
}
