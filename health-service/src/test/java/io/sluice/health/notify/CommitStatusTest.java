package io.sluice.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitStatusTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void theCommitIsAfterTheLastColonOrSlash() throws Exception {
        assertThat(CommitStatus.sha(with("revision", "main@sha1:" + SHA))).isEqualTo(SHA);
        assertThat(CommitStatus.sha(with("revision", "main/" + SHA))).isEqualTo(SHA);
        assertThat(CommitStatus.sha(with("revision", SHA))).isEqualTo(SHA);
        assertThat(CommitStatus.sha(with("originRevision", "v1@sha1:" + SHA))).isEqualTo(SHA);
    }

    @Test
    void aRevisionWithoutACommitIsAnError() {
        assertThatThrownBy(() -> CommitStatus.sha(with("revision", "6.5.0")))
                .hasMessage("failed to extract commit hash from '6.5.0' revision");
        assertThatThrownBy(
                        () ->
                                CommitStatus.sha(
                                        Events.kustomization("info", "R", "m")
                                                .withMetadata(Map.of())))
                .hasMessage("missing revision metadata");
    }

    @Test
    void theDescriptionIsTheReasonInWordsAndTheIdNamesTheObjectAndProvider() {
        assertThat(CommitStatus.description("ReconciliationSucceeded"))
                .isEqualTo("reconciliation succeeded");
        assertThat(CommitStatus.description("HealthCheckFailed")).isEqualTo("health check failed");
        assertThat(CommitStatus.id(Events.kustomization("info", "R", "m"), "0c9c2e41-7a2b-4c5d"))
                .isEqualTo("kustomization/podinfo/0c9c2e41");
    }

    private static FluxEvent with(String key, String value) {
        return Events.kustomization("info", "ReconciliationSucceeded", "m")
                .withMetadata(Map.of(key, value));
    }
}
