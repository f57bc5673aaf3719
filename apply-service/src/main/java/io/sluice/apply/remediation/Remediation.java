package io.sluice.apply.remediation;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to do after a HelmRelease's apply failed: try again while retries remain, then roll back to the last rendered
 * revision that applied cleanly, uninstall, or leave it failed. Counts failures per attempt (a new generation or
 * revision starts again) and remembers the last good render. In memory, like the rest of apply-service's state.
 */
public final class Remediation {
    public sealed interface Decision permits Retry, RollBack, Uninstall, GiveUp {
    }

    public record Retry(int failures, int retries) implements Decision {
    }

    public record RollBack(RenderResult lastGood) implements Decision {
    }

    public record Uninstall() implements Decision {
    }

    public record GiveUp(int failures) implements Decision {
    }

    private record Failures(Attempt attempt, int count) {
    }

    private final Map<ObjectRef, RenderResult> lastGood = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Failures> failures = new ConcurrentHashMap<>();

    public void succeeded(RenderResult rendered) {
        lastGood.put(rendered.attempt().object(), rendered);
        failures.remove(rendered.attempt().object());
    }

    public boolean installed(ObjectRef release) {
        return lastGood.containsKey(release);
    }

    public Decision failed(Attempt attempt, RemediationPolicy policy) {
        Failures count = failures.merge(attempt.object(), new Failures(attempt, 1),
                (old, one) -> old.attempt().equals(attempt) ? new Failures(attempt, old.count() + 1) : one);
        if (count.count() <= policy.retries()) {
            return new Retry(count.count(), policy.retries());
        }
        if (!policy.remediateLastFailure()) {
            return new GiveUp(count.count());
        }
        Optional<RenderResult> good = Optional.ofNullable(lastGood.get(attempt.object()));
        if (policy.rollback() && good.isPresent()) {
            return new RollBack(good.get());
        }
        return new Uninstall();
    }

    public void forget(ObjectRef release) {
        lastGood.remove(release);
        failures.remove(release);
    }
}
