package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's store that keeps each object without {@code metadata.managedFields} (and hands it
 * so to the informer's handlers): a Deployment's field-manager entries are often as large as the
 * rest of it, and health-service's informers hold thousands of objects. Where field managers matter
 * (drift's "changed by"), the object is read live.
 */
public final class StoreWithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {
    public StoreWithoutManagedFields() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T object) {
        object.getMetadata().setManagedFields(null);
        return super.put(key, object);
    }
}
