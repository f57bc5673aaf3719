package io.sluice.apply.prune;

import io.sluice.contracts.kustomize.Kustomization;

/**
 * What happens to a deleted Kustomization's objects ({@code spec.deletionPolicy}), as
 * kustomize-controller decides it: {@code MirrorPrune} (the default) deletes them when {@code
 * prune} is on, {@code Delete} always, {@code WaitForTermination} always and waits until they are
 * gone, {@code Orphan} never. A suspended Kustomization's objects are never deleted.
 */
enum DeletionPolicy {
    MIRROR_PRUNE,
    DELETE,
    WAIT_FOR_TERMINATION,
    ORPHAN;

    static DeletionPolicy of(Kustomization ks) {
        String policy = ks.getSpec().deletionPolicy;
        return switch (policy == null ? "" : policy) {
            case "Delete" -> DELETE;
            case "WaitForTermination" -> WAIT_FOR_TERMINATION;
            case "Orphan" -> ORPHAN;
            default -> MIRROR_PRUNE;
        };
    }

    static boolean deletesObjects(Kustomization ks) {
        if (Boolean.TRUE.equals(ks.getSpec().suspend)) {
            return false;
        }
        return switch (of(ks)) {
            case MIRROR_PRUNE -> Boolean.TRUE.equals(ks.getSpec().prune);
            case DELETE, WAIT_FOR_TERMINATION -> true;
            case ORPHAN -> false;
        };
    }
}
