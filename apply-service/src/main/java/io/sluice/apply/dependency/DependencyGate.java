package io.sluice.apply.dependency;

import dev.cel.common.CelValidationException;
import dev.cel.runtime.CelEvaluationException;
import io.sluice.apply.owner.OwnerView;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Flux's dependsOn rule: an object is applied only when each dependency exists, its controller has
 * seen its latest generation, it is Ready, and (when both build from the same source) it has
 * applied the same revision; or, where the dependency has a {@code readyExpr}, when that CEL
 * expression is true instead. A chain that leads back to the object is a cycle and is reported as
 * one instead of being waited on.
 */
public final class DependencyGate {
    private final Function<ObjectRef, Optional<OwnerView>> owners;

    public DependencyGate(Function<ObjectRef, Optional<OwnerView>> owners) {
        this.owners = owners;
    }

    /** Why {@code ref} may not be applied at {@code revision} yet, or empty when it may. */
    public Optional<Failure> blocked(ObjectRef ref, String revision) {
        Optional<OwnerView> self = owners.apply(ref);
        if (self.isEmpty() || self.get().dependsOn().isEmpty()) {
            return Optional.empty();
        }
        Optional<List<ObjectRef>> cycle = cycleThrough(ref, new ArrayList<>(List.of(ref)));
        if (cycle.isPresent()) {
            return Optional.of(
                    new Failure(
                            Reasons.DEPENDENCY_CYCLE,
                            "dependency cycle: "
                                    + cycle.get().stream()
                                            .map(r -> r.namespace() + "/" + r.name())
                                            .collect(Collectors.joining(" -> "))));
        }
        for (ObjectRef dependency : self.get().dependsOn()) {
            String name = "dependency '" + dependency.namespace() + "/" + dependency.name() + "'";
            Optional<OwnerView> found = owners.apply(dependency);
            if (found.isEmpty()) {
                return notReady(name + " not found");
            }
            OwnerView dep = found.get();
            String readyExpr = self.get().readyExprs().get(dependency);
            if (readyExpr != null) {
                // as Flux: the expression replaces the built-in checks
                try {
                    if (!ReadyExpression.ready(
                            readyExpr, self.get().object().get(), dep.object().get())) {
                        return notReady(name + " is not ready according to readyExpr eval");
                    }
                } catch (CelValidationException | CelEvaluationException e) {
                    return notReady(
                            "failed to evaluate dependency "
                                    + dependency.name()
                                    + ": "
                                    + e.getMessage());
                }
                continue;
            }
            if (dep.observedGeneration() != dep.generation()) {
                return notReady(
                        name
                                + " is not ready: generation "
                                + dep.generation()
                                + " not yet reconciled");
            }
            if (!dep.ready()) {
                return notReady(name + " is not ready");
            }
            if (dep.source() != null
                    && dep.source().equals(self.get().source())
                    && revision != null
                    && !revision.equals(dep.lastAppliedRevision())) {
                return notReady(
                        name
                                + " is not ready: revision "
                                + revision
                                + " not yet applied (it is at "
                                + dep.lastAppliedRevision()
                                + ")");
            }
        }
        return Optional.empty();
    }

    /** Depth-first along dependsOn; the path back to {@code start} if there is one. */
    private Optional<List<ObjectRef>> cycleThrough(ObjectRef start, List<ObjectRef> path) {
        ObjectRef last = path.get(path.size() - 1);
        for (ObjectRef next : owners.apply(last).map(OwnerView::dependsOn).orElse(List.of())) {
            if (next.equals(start)) {
                List<ObjectRef> cycle = new ArrayList<>(path);
                cycle.add(start);
                return Optional.of(cycle);
            }
            if (!path.contains(next)) {
                path.add(next);
                Optional<List<ObjectRef>> found = cycleThrough(start, path);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return Optional.empty();
    }

    private static Optional<Failure> notReady(String message) {
        return Optional.of(new Failure(Reasons.DEPENDENCY_NOT_READY, message));
    }
}
