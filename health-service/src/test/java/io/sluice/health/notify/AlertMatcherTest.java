package io.sluice.health.notify;

import static io.sluice.health.notify.Events.alert;
import static io.sluice.health.notify.Events.kustomization;
import static io.sluice.health.notify.Events.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.notification.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AlertMatcherTest {
    private final List<String> complaints = new ArrayList<>();
    private final AlertMatcher matcher =
            new AlertMatcher((alert, reason, message) -> complaints.add(reason + ": " + message));
    private final FluxEvent info =
            kustomization("info", "ReconciliationSucceeded", "Applied revision: main@sha1:0123");
    private final FluxEvent error =
            kustomization(
                    "error", "HealthCheckFailed", "timeout waiting for: [Deployment/apps/podinfo]");
    private static final Supplier<Optional<Map<String, String>>> NO_LABELS = Optional::empty;

    @Test
    void aSourceWithoutNamespaceIsTheAlertsOwn() {
        assertThat(
                        matcher.matches(
                                alert("apps", source("Kustomization", "podinfo", null)),
                                info,
                                NO_LABELS))
                .isTrue();
        assertThat(
                        matcher.matches(
                                alert("flux-system", source("Kustomization", "podinfo", null)),
                                info,
                                NO_LABELS))
                .isFalse();
        assertThat(
                        matcher.matches(
                                alert("flux-system", source("Kustomization", "podinfo", "apps")),
                                info,
                                NO_LABELS))
                .isTrue();
    }

    @Test
    void kindAndNameMustMatchUnlessTheNameIsAStar() {
        assertThat(
                        matcher.matches(
                                alert("apps", source("HelmRelease", "*", null)), info, NO_LABELS))
                .isFalse();
        assertThat(
                        matcher.matches(
                                alert("apps", source("Kustomization", "other", null)),
                                info,
                                NO_LABELS))
                .isFalse();
        assertThat(
                        matcher.matches(
                                alert("apps", source("Kustomization", "*", null)), info, NO_LABELS))
                .isTrue();
    }

    @Test
    void severityInfoTakesEverythingAndErrorOnlyErrors() {
        Alert errorsOnly = alert("apps", source("Kustomization", "*", null));
        errorsOnly.getSpec().eventSeverity = "error";
        assertThat(matcher.matches(errorsOnly, info, NO_LABELS)).isFalse();
        assertThat(matcher.matches(errorsOnly, error, NO_LABELS)).isTrue();
        Alert everything = alert("apps", source("Kustomization", "*", null));
        everything.getSpec().eventSeverity = "info";
        assertThat(matcher.matches(everything, error, NO_LABELS)).isTrue();
    }

    @Test
    void exclusionWinsOverInclusionAndAnInvalidExpressionIsSkippedAndNamed() {
        Alert alert = alert("apps", source("Kustomization", "*", null));
        alert.getSpec().inclusionList = List.of("timeout");
        assertThat(matcher.matches(alert, info, NO_LABELS)).isFalse();
        assertThat(matcher.matches(alert, error, NO_LABELS)).isTrue();
        alert.getSpec().exclusionList = List.of("Deployment/apps/.*");
        assertThat(matcher.matches(alert, error, NO_LABELS)).isFalse();
        alert.getSpec().exclusionList = List.of("([unclosed");
        assertThat(matcher.matches(alert, error, NO_LABELS)).isTrue();
        assertThat(complaints)
                .containsExactly("InvalidConfig: failed to compile exclusion regex: ([unclosed");
    }

    @Test
    void matchLabelsAsksForTheObjectsLabels() {
        var selective = source("Kustomization", "*", null);
        selective.matchLabels = Map.of("team", "web");
        Alert alert = alert("apps", selective);
        assertThat(
                        matcher.matches(
                                alert, info, () -> Optional.of(Map.of("team", "web", "tier", "1"))))
                .isTrue();
        assertThat(matcher.matches(alert, info, () -> Optional.of(Map.of("team", "db")))).isFalse();
        assertThat(matcher.matches(alert, info, NO_LABELS)).isFalse();
        assertThat(complaints)
                .containsExactly(
                        "SourceFetchFailed: error getting source object Kustomization/apps/podinfo");
    }

    @Test
    void expressionsAreGosAndLinearOnLongMessages() {
        Alert alert = alert("apps", source("Kustomization", "*", null));
        alert.getSpec().exclusionList = List.of("(.|\\s)*timeout");
        FluxEvent longMessage =
                kustomization("error", "HealthCheckFailed", "x\n".repeat(25_000) + "timeout");
        assertThat(matcher.matches(alert, longMessage, NO_LABELS))
                .as("excluded, no stack overflow")
                .isFalse();
        Alert digits = alert("apps", source("Kustomization", "*", null));
        digits.getSpec().inclusionList = List.of("[[:digit:]]{3}", "(?P<kind>Deployment)/");
        assertThat(matcher.matches(digits, kustomization("error", "R", "retry 123"), NO_LABELS))
                .isTrue();
        assertThat(
                        matcher.matches(
                                digits,
                                kustomization("error", "R", "Deployment/apps/x"),
                                NO_LABELS))
                .isTrue();
        assertThat(matcher.matches(digits, kustomization("error", "R", "retry t"), NO_LABELS))
                .isFalse();
        assertThat(complaints).isEmpty();
    }

    @Test
    void aSuspendedAlertTakesNothing() {
        Alert alert = alert("apps", source("Kustomization", "*", null));
        alert.getSpec().suspend = true;
        assertThat(matcher.matches(alert, error, NO_LABELS)).isFalse();
    }
}
