package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.ObjectRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What Git says each applied object should be, by inventory id: the objects of each owner's last
 * successful apply, and the service account that applied them (drift is corrected as the same
 * identity). While an owner is being applied its objects are its apply's business, not drift's;
 * after a failed apply the owner has none here (drift never puts back what was not applied, nor an
 * older revision) until an apply succeeds. Kept in memory and rebuilt by the next apply: every
 * owner is applied again at its interval and after a restart.
 */
@ApplicationScoped
public class DesiredState {
    public record Desired(
            ObjectRef owner,
            String revision,
            GenericKubernetesResource object,
            String serviceAccountName) {}

    private final Map<String, Desired> byId = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Set<String>> byOwner = new ConcurrentHashMap<>();
    private final Set<ObjectRef> applying = ConcurrentHashMap.newKeySet();
    private final Set<String> kinds = ConcurrentHashMap.newKeySet();
    private final List<Consumer<GenericKubernetesResource>> newKindListeners =
            new CopyOnWriteArrayList<>();

    /** The owner is being applied: its objects are the apply's business until {@link #endApply}. */
    public void beginApply(ObjectRef owner) {
        applying.add(owner);
    }

    /**
     * What an apply actually applied, as the service account it applied as (null: the default
     * account, or Sluice's own).
     */
    public void applied(
            ObjectRef owner,
            String revision,
            List<GenericKubernetesResource> objects,
            String serviceAccountName) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (GenericKubernetesResource object : objects) {
            String id = ObjectId.of(object).id();
            ids.add(id);
            byId.put(id, new Desired(owner, revision, object, serviceAccountName));
            if (kinds.add(object.getApiVersion() + "|" + object.getKind())) {
                newKindListeners.forEach(l -> l.accept(object));
            }
        }
        Set<String> previous = byOwner.put(owner, ids);
        if (previous != null) {
            previous.stream()
                    .filter(id -> !ids.contains(id))
                    .forEach(id -> byId.remove(id, byId.get(id)));
        }
    }

    /** The owner is going away: none of its objects is to be put back any more. */
    public void forget(ObjectRef owner) {
        Set<String> ids = byOwner.remove(owner);
        if (ids != null) {
            ids.forEach(
                    id -> byId.computeIfPresent(id, (k, d) -> d.owner().equals(owner) ? null : d));
        }
    }

    public void endApply(ObjectRef owner) {
        applying.remove(owner);
    }

    /**
     * True when {@code objects} are exactly the owner's desired objects (the same ids, each equal
     * to what its last successful apply applied), and the owner is not being applied.
     */
    public boolean holds(ObjectRef owner, List<GenericKubernetesResource> objects) {
        Set<String> ids = byOwner.get(owner);
        if (ids == null || applying.contains(owner) || ids.size() != objects.size()) {
            return false;
        }
        for (GenericKubernetesResource object : objects) {
            Desired desired = byId.get(ObjectId.of(object).id());
            if (desired == null
                    || !desired.owner().equals(owner)
                    || !desired.object().equals(object)) {
                return false;
            }
        }
        return true;
    }

    /** The desired object for an id, unless its owner is being applied right now. */
    public Optional<Desired> get(String id) {
        Desired desired = byId.get(id);
        return desired == null || applying.contains(desired.owner())
                ? Optional.empty()
                : Optional.of(desired);
    }

    /**
     * Called once for the first object of each apiVersion and kind, so a watch can be started for
     * it.
     */
    public void onNewKind(Consumer<GenericKubernetesResource> listener) {
        newKindListeners.add(listener);
    }
}
