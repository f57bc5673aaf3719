package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelmStorageTest {
    @Test
    void aReleaseIsInstalledOnceStoredUnlessUninstalledOrItsInstallStillUnderway() {
        assertThat(HelmStorage.installed(Optional.empty())).isFalse();
        assertThat(HelmStorage.installed(latest(3, "uninstalled"))).isFalse();
        assertThat(HelmStorage.installed(latest(1, "pending-install"))).isFalse();
        assertThat(HelmStorage.installed(latest(1, "deployed"))).isTrue();
        assertThat(HelmStorage.installed(latest(1, "failed")))
                .as("a failed install left in place is upgraded next")
                .isTrue();
        assertThat(HelmStorage.installed(latest(2, "pending-upgrade"))).isTrue();
    }

    @Test
    void anInstallRendersRevisionOneAndAnUpgradeTheRevisionItWillBeStoredAs() {
        assertThat(HelmStorage.templateRevision(Optional.empty())).isEqualTo(1);
        assertThat(HelmStorage.templateRevision(latest(4, "uninstalled")))
                .as("Helm's install renders 1 even when it replaces a release kept in history")
                .isEqualTo(1);
        assertThat(HelmStorage.templateRevision(latest(1, "pending-install"))).isEqualTo(1);
        assertThat(HelmStorage.templateRevision(latest(3, "deployed"))).isEqualTo(4);
        assertThat(HelmStorage.templateRevision(latest(5, "failed"))).isEqualTo(6);
    }

    private static Optional<HelmStorage.Latest> latest(int version, String status) {
        return Optional.of(new HelmStorage.Latest(version, status));
    }
}
