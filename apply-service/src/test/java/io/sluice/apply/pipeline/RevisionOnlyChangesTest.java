package io.sluice.apply.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevisionOnlyChangesTest {
    private static final ObjectRef OWNER = new ObjectRef("Kustomization", "ns", "app");
    private static final Duration INTERVAL = Duration.ofMinutes(10);

    @Test
    void onlyANewRevisionWithinTheIntervalOfTheLastFullApplyMaySkip() {
        RevisionOnlyChanges changes = new RevisionOnlyChanges();
        Attempt applied = new Attempt(OWNER, 2, "main@sha1:a", null, null);
        assertFalse(changes.revisionOnly(at("main@sha1:b"), INTERVAL), "no full apply yet");
        changes.fullyApplied(applied);

        assertTrue(changes.revisionOnly(at("main@sha1:b"), INTERVAL));
        assertFalse(
                changes.revisionOnly(new Attempt(OWNER, 3, "main@sha1:b", null, null), INTERVAL),
                "a spec change");
        assertFalse(
                changes.revisionOnly(new Attempt(OWNER, 2, "main@sha1:b", "now", null), INTERVAL),
                "a requested reconcile");
        assertFalse(
                changes.revisionOnly(new Attempt(OWNER, 2, "main@sha1:b", null, "now"), INTERVAL),
                "a resync");
        assertFalse(changes.revisionOnly(at("main@sha1:b"), Duration.ZERO), "an interval later");
        changes.forget(OWNER);
        assertFalse(changes.revisionOnly(at("main@sha1:b"), INTERVAL), "after a failure");
    }

    private static Attempt at(String revision) {
        return new Attempt(OWNER, 2, revision, null, null);
    }
}
