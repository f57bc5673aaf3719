package io.sluice.contracts.admin;

import io.sluice.contracts.events.ObjectRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Each service's record of the objects it knows and its last result for each, served by its admin
 * API.
 */
@ApplicationScoped
public class ObjectStates {
    private final ConcurrentMap<ObjectRef, ObjectState> states = new ConcurrentHashMap<>();

    public void succeeded(ObjectRef object, String revision, String reason, String message) {
        states.put(object, new ObjectState(object, revision, true, reason, message, Instant.now()));
    }

    public void failed(ObjectRef object, String revision, String reason, String message) {
        states.put(
                object, new ObjectState(object, revision, false, reason, message, Instant.now()));
    }

    public void forget(ObjectRef object) {
        states.remove(object);
    }

    public Optional<ObjectState> get(ObjectRef object) {
        return Optional.ofNullable(states.get(object));
    }

    public List<ObjectState> all() {
        return states.values().stream()
                .sorted(Comparator.comparing(s -> s.object().key()))
                .toList();
    }
}
