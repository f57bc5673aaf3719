package io.sluice.apply.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseSpec;
import org.junit.jupiter.api.Test;

class RemediationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectRef PODINFO = new ObjectRef("HelmRelease", "apps", "podinfo");
    private final Remediation remediation = new Remediation();

    @Test
    void anUpgradeIsRetriedThenRolledBackToTheLastGoodRender() throws Exception {
        RenderResult good = RenderResult.rendered(attempt(1), "manifests", 3);
        remediation.succeeded(good);
        RemediationPolicy policy = RemediationPolicy.of(release("{\"upgrade\":{\"remediation\":{\"retries\":2}}}"), true);
        assertThat(remediation.failed(attempt(2), policy)).isEqualTo(new Remediation.Retry(1, 2));
        assertThat(remediation.failed(attempt(2), policy)).isEqualTo(new Remediation.Retry(2, 2));
        assertThat(remediation.failed(attempt(2), policy)).isEqualTo(new Remediation.RollBack(good));
        assertThat(remediation.failed(attempt(3), policy)).as("a new attempt counts afresh").isEqualTo(new Remediation.Retry(1, 2));
    }

    @Test
    void byDefaultAFailureIsLeftAsItIsAsFluxDoes() throws Exception {
        RemediationPolicy policy = RemediationPolicy.of(release("{}"), true);
        assertThat(policy).isEqualTo(new RemediationPolicy(0, false, true));
        assertThat(remediation.failed(attempt(2), policy)).isEqualTo(new Remediation.GiveUp(1));
    }

    @Test
    void aFailedInstallOrTheUninstallStrategyUninstalls() throws Exception {
        RemediationPolicy install = RemediationPolicy.of(release("{\"install\":{\"remediation\":{\"retries\":0,\"remediateLastFailure\":true}}}"), false);
        assertThat(remediation.failed(attempt(1), install)).isEqualTo(new Remediation.Uninstall());
        remediation.succeeded(RenderResult.rendered(attempt(1), "m", 1));
        RemediationPolicy uninstall = RemediationPolicy.of(release("{\"upgrade\":{\"remediation\":{\"retries\":0,\"remediateLastFailure\":true,\"strategy\":\"uninstall\"}}}"), true);
        assertThat(remediation.failed(attempt(2), uninstall)).isEqualTo(new Remediation.Uninstall());
    }

    private static Attempt attempt(long generation) {
        return new Attempt(PODINFO, generation, "6.9.4", null);
    }

    private static HelmRelease release(String spec) throws Exception {
        HelmRelease release = new HelmRelease();
        release.setSpec(JSON.readValue(spec, HelmReleaseSpec.class));
        return release;
    }
}
