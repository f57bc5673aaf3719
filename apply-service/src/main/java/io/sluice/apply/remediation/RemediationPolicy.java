package io.sluice.apply.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.contracts.helm.HelmRelease;

/**
 * A HelmRelease's remediation, as helm-controller reads it: {@code install.remediation} before the release was ever
 * applied, {@code upgrade.remediation} after. {@code retries} (default 0) further attempts; then, if
 * {@code remediateLastFailure} (default: true when retries > 0), a failed upgrade is rolled back (or, with
 * {@code strategy: uninstall}, uninstalled) and a failed install is uninstalled.
 */
public record RemediationPolicy(int retries, boolean remediateLastFailure, boolean rollback) {

    public static RemediationPolicy of(HelmRelease release, boolean installed) {
        JsonNode section = installed ? release.getSpec().upgrade : release.getSpec().install;
        JsonNode remediation = section == null ? null : section.get("remediation");
        int retries = remediation == null ? 0 : remediation.path("retries").asInt(0);
        boolean remediateLast = remediation != null && remediation.has("remediateLastFailure")
                ? remediation.path("remediateLastFailure").asBoolean() : retries > 0;
        boolean rollback = installed && (remediation == null || !"uninstall".equals(remediation.path("strategy").asText("rollback")));
        return new RemediationPolicy(Math.max(retries, 0), remediateLast, rollback);
    }
}
