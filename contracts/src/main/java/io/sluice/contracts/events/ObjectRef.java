package io.sluice.contracts.events;

/**
 * A namespaced Kubernetes object as events name it; {@link #key()} is the Kafka key, so one
 * object's events stay in order.
 */
public record ObjectRef(String kind, String namespace, String name) {

    public String key() {
        return kind + "/" + namespace + "/" + name;
    }

    /**
     * The object a Kafka key names; empty when the key is not of the form {@code
     * kind/namespace/name}.
     */
    public static java.util.Optional<ObjectRef> fromKey(Object key) {
        String[] parts = key instanceof String text ? text.split("/", -1) : new String[0];
        return parts.length == 3
                        && !parts[0].isEmpty()
                        && !parts[1].isEmpty()
                        && !parts[2].isEmpty()
                ? java.util.Optional.of(new ObjectRef(parts[0], parts[1], parts[2]))
                : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
