package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.ResourceVersions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.HashMap;
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
    /**
     * {@code json}: the object in {@link CanonicalJson} (thousands are kept, and drift reads one
     * only when it changed); {@code resourceVersion}: the latest version Sluice wrote or read the
     * object at since (and by) the owner's last full apply.
     */
    public record Desired(
            ObjectRef owner,
            String revision,
            byte[] json,
            String serviceAccountName,
            String resourceVersion) {
        Desired(
                ObjectRef owner,
                String revision,
                GenericKubernetesResource object,
                String serviceAccountName) {
            this(owner, revision, CanonicalJson.bytes(object), serviceAccountName, null);
        }

        /** The object, read afresh from {@code json}: a copy the caller may change. */
        public GenericKubernetesResource object() {
            return CanonicalJson.object(json);
        }

        boolean is(GenericKubernetesResource object) {
            return Arrays.equals(json, CanonicalJson.bytes(object));
        }

        /** As it is, known at {@code version} if that is later. */
        Desired seenAt(String version) {
            return new Desired(
                    owner,
                    revision,
                    json,
                    serviceAccountName,
                    ResourceVersions.later(resourceVersion, version));
        }
    }

    private final Map<String, Desired> byId = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Set<String>> byOwner = new ConcurrentHashMap<>();
    private final Set<ObjectRef> applying = ConcurrentHashMap.newKeySet();

    /**
     * Owners whose objects drift correction may not have kept as applied since their last full
     * apply: a correction failed, or a change came while they were being applied (not looked at).
     */
    private final Set<ObjectRef> unverified = ConcurrentHashMap.newKeySet();

    /** Kinds whose watch could not be started: their drift is not seen. */
    private final Set<String> unwatched = ConcurrentHashMap.newKeySet();

    private final Set<String> kinds = ConcurrentHashMap.newKeySet();
    private final List<Consumer<GenericKubernetesResource>> newKindListeners =
            new CopyOnWriteArrayList<>();

    /**
     * The owner is being applied: its objects are the apply's business until {@link #endApply}, and
     * the apply verifies every one of them.
     */
    public void beginApply(ObjectRef owner) {
        applying.add(owner);
        unverified.remove(owner);
    }

    /**
     * What an apply actually applied, as the service account it applied as (null: the default
     * account, or Sluice's own), and the versions it left the objects at ({@code results}).
     */
    public void applied(
            ObjectRef owner,
            String revision,
            List<GenericKubernetesResource> objects,
            String serviceAccountName,
            List<AppliedObject> results) {
        Map<String, String> versions = new HashMap<>();
        results.stream()
                .filter(r -> r.resourceVersion() != null)
                .forEach(r -> versions.put(ObjectId.of(r).id(), r.resourceVersion()));
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (GenericKubernetesResource object : objects) {
            String id = ObjectId.of(object).id();
            ids.add(id);
            Desired applied = new Desired(owner, revision, object, serviceAccountName);
            // any version Sluice saw the object at is a floor for reading it: the later, the
            // better (drift correction may have seen a later one than this apply reports)
            byId.compute(
                    id,
                    (key, previous) ->
                            (previous == null
                                            ? applied
                                            : applied.seenAt(previous.resourceVersion()))
                                    .seenAt(versions.get(id)));
            if (kinds.add(kind(object))) {
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
        unverified.remove(owner);
        Set<String> ids = byOwner.remove(owner);
        if (ids != null) {
            ids.forEach(
                    id -> byId.computeIfPresent(id, (k, d) -> d.owner().equals(owner) ? null : d));
        }
    }

    /** The owners whose objects are kept as applied here. */
    public Set<ObjectRef> owners() {
        return Set.copyOf(byOwner.keySet());
    }

    public void endApply(ObjectRef owner) {
        applying.remove(owner);
    }

    /**
     * True when {@code objects} are exactly the owner's desired objects (the same ids, each equal
     * to what its last successful apply applied) and drift correction has kept them so: the owner
     * is not being applied, no correction of its objects failed and no change to them went
     * unlooked-at since its last full apply, and every kind of them is watched.
     */
    public boolean holds(ObjectRef owner, List<GenericKubernetesResource> objects) {
        Set<String> ids = byOwner.get(owner);
        if (ids == null
                || applying.contains(owner)
                || unverified.contains(owner)
                || ids.size() != objects.size()) {
            return false;
        }
        for (GenericKubernetesResource object : objects) {
            if (unwatched.contains(kind(object))) {
                return false;
            }
            Desired desired = byId.get(ObjectId.of(object).id());
            if (desired == null || !desired.owner().equals(owner) || !desired.is(object)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Drift correction read or wrote the object at {@code version}: what the owner's next unchanged
     * revision reports it at, if later than any version known of it.
     */
    public void seenAt(GenericKubernetesResource object, String version) {
        byId.computeIfPresent(ObjectId.of(object).id(), (id, d) -> d.seenAt(version));
    }

    /**
     * The version the owner's last full apply left the object at (or drift correction read or wrote
     * it at since), if known.
     */
    public Optional<String> appliedVersion(ObjectRef owner, GenericKubernetesResource object) {
        Desired desired = byId.get(ObjectId.of(object).id());
        return desired == null || !desired.owner().equals(owner)
                ? Optional.empty()
                : Optional.ofNullable(desired.resourceVersion());
    }

    /**
     * The desired object for an id, to be checked for drift; none while its owner is being applied,
     * whose objects then count as unverified (a change made meanwhile is not looked at; nor are the
     * apply's own writes, which costs the owner one more full apply).
     */
    public Optional<Desired> toCheck(String id) {
        Desired desired = byId.get(id);
        if (desired != null && applying.contains(desired.owner())) {
            unverified.add(desired.owner());
            return Optional.empty();
        }
        return Optional.ofNullable(desired);
    }

    /** A drift correction of one of the owner's objects failed. */
    public void correctionFailed(ObjectRef owner) {
        unverified.add(owner);
    }

    /** The kind of {@code example} cannot be watched: its objects' drift is not seen. */
    public void notWatched(GenericKubernetesResource example) {
        unwatched.add(kind(example));
    }

    private static String kind(GenericKubernetesResource object) {
        return object.getApiVersion() + "|" + object.getKind();
    }

    /**
     * Called once for the first object of each apiVersion and kind, so a watch can be started for
     * it.
     */
    public void onNewKind(Consumer<GenericKubernetesResource> listener) {
        newKindListeners.add(listener);
    }
}
