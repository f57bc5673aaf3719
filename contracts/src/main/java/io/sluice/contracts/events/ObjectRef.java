package io.sluice.contracts.events;

/** A namespaced Kubernetes object as events name it; {@link #key()} is the Kafka key, so one object's events stay in order. */
public record ObjectRef(String kind, String namespace, String name) {

    public String key() {
        return kind + "/" + namespace + "/" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
