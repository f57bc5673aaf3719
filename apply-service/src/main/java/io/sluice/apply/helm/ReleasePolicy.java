package io.sluice.apply.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.GoDuration;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a HelmRelease's spec says about failures, with helm-controller's defaults: {@code retries} 0
 * for install and upgrade (negative: no limit); {@code remediateLastFailure} false for install, and
 * for upgrade true exactly when retries &gt; 0; an install is remediated by uninstalling, an
 * upgrade by rolling back unless {@code upgrade.remediation.strategy: uninstall}; {@code timeout}
 * 5m; {@code maxHistory} 5 (0: unlimited); {@code uninstall.keepHistory} false; {@code
 * install.createNamespace} false; {@code install/upgrade.strategy.name} RemediateOnFailure (with
 * RetryOnFailure a failure is neither remediated nor counted against retries: the release is
 * upgraded again after {@code strategy.retryInterval}, 5m by default); {@code
 * upgrade.cleanupOnFail} false; {@code uninstall.deletionPropagation} background.
 */
public record ReleasePolicy(
        int installRetries,
        boolean installRemediateLastFailure,
        int upgradeRetries,
        boolean upgradeRemediateLastFailure,
        boolean upgradeUninstalls,
        Duration timeout,
        int maxHistory,
        boolean keepHistory,
        boolean createNamespace,
        Set<String> hooksDisabled,
        Duration installRetryInterval,
        Duration upgradeRetryInterval,
        boolean cleanupOnFail,
        DeletionPropagation deletionPropagation) {
    public static final String INSTALL = "install";
    public static final String UPGRADE = "upgrade";

    public static ReleasePolicy of(HelmRelease release) {
        JsonNode install = remediation(release.getSpec().install);
        JsonNode upgrade = remediation(release.getSpec().upgrade);
        int upgradeRetries = upgrade.path("retries").asInt(0);
        String timeout = release.getSpec().timeout;
        JsonNode uninstall = release.getSpec().uninstall;
        return new ReleasePolicy(
                install.path("retries").asInt(0),
                install.path("remediateLastFailure").asBoolean(false),
                upgradeRetries,
                upgrade.has("remediateLastFailure")
                        ? upgrade.path("remediateLastFailure").asBoolean()
                        : upgradeRetries > 0,
                "uninstall".equals(upgrade.path("strategy").asText("rollback")),
                timeout == null || timeout.isEmpty()
                        ? Duration.ofMinutes(5)
                        : GoDuration.parse(timeout),
                release.getSpec().maxHistory == null ? 5 : release.getSpec().maxHistory,
                uninstall != null && uninstall.path("keepHistory").asBoolean(false),
                release.getSpec().install != null
                        && release.getSpec().install.path("createNamespace").asBoolean(false),
                hooksDisabled(release),
                retryInterval(release.getSpec().install),
                retryInterval(release.getSpec().upgrade),
                release.getSpec().upgrade != null
                        && release.getSpec().upgrade.path("cleanupOnFail").asBoolean(false),
                deletionPropagation(uninstall));
    }

    private static DeletionPropagation deletionPropagation(JsonNode uninstall) {
        String value = uninstall == null ? "" : uninstall.path("deletionPropagation").asText("");
        return switch (value) {
            case "foreground" -> DeletionPropagation.FOREGROUND;
            case "orphan" -> DeletionPropagation.ORPHAN;
            default -> DeletionPropagation.BACKGROUND;
        };
    }

    /**
     * When {@code action}'s strategy is RetryOnFailure: how long after a failure it is tried again
     * (as an upgrade). Null for RemediateOnFailure, helm-controller's default.
     */
    public Duration retryInterval(String action) {
        return INSTALL.equals(action) ? installRetryInterval : upgradeRetryInterval;
    }

    private static Duration retryInterval(JsonNode section) {
        JsonNode strategy = section == null ? null : section.path("strategy");
        if (strategy == null || !"RetryOnFailure".equals(strategy.path("name").asText())) {
            return null;
        }
        String interval = strategy.path("retryInterval").asText("");
        return interval.isEmpty() ? Duration.ofMinutes(5) : GoDuration.parse(interval);
    }

    /**
     * Whether the hooks of {@code event} (pre-install, post-delete...) run: not when its action
     * disables hooks.
     */
    boolean runsHooks(String event) {
        String action = event.substring(event.indexOf('-') + 1);
        return !hooksDisabled.contains("delete".equals(action) ? "uninstall" : action);
    }

    private static Set<String> hooksDisabled(HelmRelease release) {
        Set<String> disabled = new HashSet<>();
        Map<String, JsonNode> sections = new HashMap<>();
        sections.put("install", release.getSpec().install);
        sections.put("upgrade", release.getSpec().upgrade);
        sections.put("rollback", release.getSpec().rollback);
        sections.put("uninstall", release.getSpec().uninstall);
        sections.forEach(
                (action, section) -> {
                    if (section != null && section.path("disableHooks").asBoolean(false)) {
                        disabled.add(action);
                    }
                });
        return Set.copyOf(disabled);
    }

    int retries(String action) {
        return INSTALL.equals(action) ? installRetries : upgradeRetries;
    }

    /**
     * helm-controller's rule: retries &ge; 0 and more failures than retries; never under
     * RetryOnFailure.
     */
    boolean exhausted(String action, long failures) {
        if (retryInterval(action) != null) {
            return false;
        }
        int retries = retries(action);
        return retries >= 0 && failures > retries;
    }

    boolean remediateLastFailure(String action) {
        return INSTALL.equals(action) ? installRemediateLastFailure : upgradeRemediateLastFailure;
    }

    private static JsonNode remediation(JsonNode section) {
        return section == null
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : section.path("remediation");
    }
}
