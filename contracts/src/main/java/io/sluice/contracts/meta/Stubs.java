package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * Objects that hold only a name, to patch through: the client patches {@code resource(stub)}
 * without reading the object first (through {@code withName} it reads the whole object to patch
 * it).
 */
public final class Stubs {
    private Stubs() {}

    /**
     * {@code type} needs a constructor without arguments that sets its apiVersion and kind, as
     * every fabric8 model class and custom resource class has.
     */
    public static <T extends HasMetadata> T named(Class<T> type, String namespace, String name) {
        try {
            T object = type.getDeclaredConstructor().newInstance();
            object.setMetadata(
                    new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
            return object;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " cannot be made empty", e);
        }
    }
}
