package io.sluice.apply.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.apply.ssa.ApplyException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Helm's test action on a deployed revision: the selected test hooks run one at a time as hooks run
 * ({@link HookRunner}: delete policies, a Job or Pod waited for, the first failure ends the run),
 * and each hook's {@code last_run} is written to the revision in Helm's storage as it starts
 * ({@code Running}) and ends ({@code Succeeded} or {@code Failed}), as Helm records it. The
 * revision keeps its status: a failed test does not make a release failed in Helm's storage.
 */
final class ReleaseTester {
    private final HookRunner hooks;

    ReleaseTester(HookRunner hooks) {
        this.hooks = hooks;
    }

    /**
     * What a run left: the revision as stored after it, how many hooks were selected, and the
     * failure if one failed.
     */
    record Outcome(ReleaseStorage.Stored stored, int selected, Optional<String> failure) {}

    Outcome run(
            KubernetesClient client,
            ReleaseStorage storage,
            String storageNamespace,
            ReleaseStorage.Stored revision,
            ReleaseTests tests) {
        List<Hook> selected = tests.select(revision.record().hooks());
        Recorder recorder = new Recorder(storage, storageNamespace, revision);
        try {
            hooks.run(client, selected, Hook.TEST, tests.timeout(), recorder);
            return new Outcome(recorder.current, selected.size(), Optional.empty());
        } catch (ApplyException e) {
            return new Outcome(recorder.current, selected.size(), Optional.of(e.getMessage()));
        }
    }

    /** Writes each hook's run to the revision as it goes. */
    private static final class Recorder implements HookRunner.Progress {
        private final ReleaseStorage storage;
        private final String storageNamespace;
        private final Map<String, String> started = new HashMap<>();
        private ReleaseStorage.Stored current;

        Recorder(ReleaseStorage storage, String storageNamespace, ReleaseStorage.Stored revision) {
            this.storage = storage;
            this.storageNamespace = storageNamespace;
            this.current = revision;
        }

        @Override
        public void started(Hook hook) {
            String now = now();
            started.put(hook.name(), now);
            record(hook, new ReleaseRecord.HookRun(now, "", ReleaseRecord.HookRun.RUNNING));
        }

        @Override
        public void finished(Hook hook, boolean succeeded) {
            if (!started.containsKey(hook.name())) {
                return; // it never ran: no result to record
            }
            String now = now();
            record(
                    hook,
                    new ReleaseRecord.HookRun(
                            started.getOrDefault(hook.name(), now),
                            now,
                            succeeded
                                    ? ReleaseRecord.HookRun.SUCCEEDED
                                    : ReleaseRecord.HookRun.FAILED));
        }

        private void record(Hook hook, ReleaseRecord.HookRun run) {
            ReleaseStorage.Stored next =
                    current.with(current.record().withLastRun(hook.name(), run));
            storage.write(storageNamespace, next);
            current = next;
        }

        private static String now() {
            return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }
}
