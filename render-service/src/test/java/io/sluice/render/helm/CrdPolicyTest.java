package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrdPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void installDefaultsToCreateAndUpgradeToSkip() {
        assertThat(CrdPolicy.of(release(null, null), false)).isEqualTo(CrdPolicy.CREATE);
        assertThat(CrdPolicy.of(release(null, null), true)).isEqualTo(CrdPolicy.SKIP);
    }

    @Test
    void installCrdsAppliesBeforeTheFirstApplyAndUpgradeCrdsAfter() {
        assertThat(CrdPolicy.of(release("Skip", "CreateReplace"), false)).isEqualTo(CrdPolicy.SKIP);
        assertThat(CrdPolicy.of(release("Skip", "CreateReplace"), true))
                .isEqualTo(CrdPolicy.CREATE_REPLACE);
        assertThat(CrdPolicy.of(release("CreateReplace", "Create"), true))
                .isEqualTo(CrdPolicy.CREATE);
    }

    @Test
    void createAppliesOnlyIfAbsentAndNoPolicyEverPrunes() {
        Map<String, Object> crd =
                new HashMap<>(
                        Map.of(
                                "kind",
                                "CustomResourceDefinition",
                                "metadata",
                                new HashMap<>(Map.of("name", "x"))));
        assertThat(CrdPolicy.CREATE.mark(List.of(crd)).get(0).get("metadata").toString())
                .contains("kustomize.toolkit.fluxcd.io/ssa=IfNotPresent")
                .contains("kustomize.toolkit.fluxcd.io/prune=disabled");
        Map<String, Object> replaced =
                new HashMap<>(
                        Map.of(
                                "kind",
                                "CustomResourceDefinition",
                                "metadata",
                                new HashMap<>(Map.of("name", "x"))));
        assertThat(
                        CrdPolicy.CREATE_REPLACE
                                .mark(List.of(replaced))
                                .get(0)
                                .get("metadata")
                                .toString())
                .doesNotContain("ssa=")
                .contains("kustomize.toolkit.fluxcd.io/prune=disabled");
        assertThat(CrdPolicy.SKIP.includes()).isFalse();
    }

    private static HelmRelease release(String install, String upgrade) {
        HelmRelease release = new HelmRelease();
        release.setSpec(new HelmReleaseSpec());
        if (install != null) {
            release.getSpec().install = JSON.createObjectNode().put("crds", install);
        }
        if (upgrade != null) {
            release.getSpec().upgrade = JSON.createObjectNode().put("crds", upgrade);
        }
        return release;
    }
}
