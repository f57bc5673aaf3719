package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReleasePolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void helmControllersDefaults() {
        ReleasePolicy policy = ReleasePolicy.of(release("{}", "{}"));
        assertThat(policy.installRetries()).isZero();
        assertThat(policy.installRemediateLastFailure()).isFalse();
        assertThat(policy.upgradeRetries()).isZero();
        assertThat(policy.upgradeRemediateLastFailure()).isFalse();
        assertThat(policy.upgradeUninstalls()).isFalse();
        assertThat(policy.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.maxHistory()).isEqualTo(5);
        assertThat(policy.deletionPropagation()).isEqualTo(DeletionPropagation.BACKGROUND);
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 0)).isFalse();
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 1))
                .as("retries 0: one attempt")
                .isTrue();
    }

    @Test
    void upgradeRemediatesItsLastFailureExactlyWhenItHasRetriesInstallOnlyWhenAsked() {
        ReleasePolicy policy =
                ReleasePolicy.of(
                        release(
                                "{\"remediation\":{\"retries\":3}}",
                                "{\"remediation\":{\"retries\":2}}"));
        assertThat(policy.installRemediateLastFailure()).isFalse();
        assertThat(policy.upgradeRemediateLastFailure()).isTrue();
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 3)).isFalse();
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 4)).isTrue();
        assertThat(policy.exhausted(ReleasePolicy.UPGRADE, 3)).isTrue();

        ReleasePolicy explicit =
                ReleasePolicy.of(
                        release(
                                "{\"remediation\":{\"remediateLastFailure\":true}}",
                                "{\"remediation\":{\"retries\":2,\"remediateLastFailure\":false,\"strategy\":\"uninstall\"}}"));
        assertThat(explicit.installRemediateLastFailure()).isTrue();
        assertThat(explicit.upgradeRemediateLastFailure()).isFalse();
        assertThat(explicit.upgradeUninstalls()).isTrue();
    }

    @Test
    void negativeRetriesNeverRunOut() {
        ReleasePolicy policy =
                ReleasePolicy.of(release("{\"remediation\":{\"retries\":-1}}", "{}"));
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 1000)).isFalse();
    }

    @Test
    void retryOnFailureRetriesAfterItsIntervalAndNeverRunsOutOfRetries() {
        ReleasePolicy policy =
                ReleasePolicy.of(
                        release(
                                "{\"strategy\":{\"name\":\"RetryOnFailure\"}}",
                                "{\"strategy\":{\"name\":\"RetryOnFailure\",\"retryInterval\":\"30s\"},\"cleanupOnFail\":true}"));
        assertThat(policy.retryInterval(ReleasePolicy.INSTALL))
                .as("helm-controller's default retry interval")
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.retryInterval(ReleasePolicy.UPGRADE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.exhausted(ReleasePolicy.INSTALL, 100)).isFalse();
        assertThat(policy.cleanupOnFail()).isTrue();

        ReleasePolicy remediating =
                ReleasePolicy.of(release("{\"strategy\":{\"name\":\"RemediateOnFailure\"}}", "{}"));
        assertThat(remediating.retryInterval(ReleasePolicy.INSTALL)).isNull();
        assertThat(remediating.retryInterval(ReleasePolicy.UPGRADE)).isNull();
        assertThat(remediating.exhausted(ReleasePolicy.INSTALL, 1)).isTrue();
        assertThat(remediating.cleanupOnFail()).isFalse();
    }

    @Test
    void disableHooksStopsTheHooksOfThatActionOnly() throws Exception {
        HelmRelease release = release("{\"disableHooks\":true}", "{}");
        release.getSpec().uninstall = JSON.readTree("{\"disableHooks\":true}");
        ReleasePolicy policy = ReleasePolicy.of(release);
        assertThat(policy.runsHooks(Hook.PRE_INSTALL)).isFalse();
        assertThat(policy.runsHooks(Hook.POST_INSTALL)).isFalse();
        assertThat(policy.runsHooks(Hook.PRE_DELETE)).isFalse();
        assertThat(policy.runsHooks(Hook.POST_DELETE)).isFalse();
        release.getSpec().uninstall = JSON.readTree("{\"deletionPropagation\":\"orphan\"}");
        assertThat(ReleasePolicy.of(release).deletionPropagation())
                .isEqualTo(DeletionPropagation.ORPHAN);
        assertThat(policy.runsHooks(Hook.PRE_UPGRADE)).isTrue();
        assertThat(policy.runsHooks(Hook.POST_ROLLBACK)).isTrue();
        assertThat(ReleasePolicy.of(release("{}", "{}")).runsHooks(Hook.PRE_INSTALL)).isTrue();
    }

    private static HelmRelease release(String install, String upgrade) {
        try {
            HelmRelease release = new HelmRelease();
            release.setSpec(new HelmReleaseSpec());
            release.getSpec().install = JSON.readTree(install);
            release.getSpec().upgrade = JSON.readTree(upgrade);
            return release;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
