package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseStatus;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** helm-controller's rules for {@code forceAt} and {@code resetAt} (HandleAnnotationRequest). */
class AnnotationRequestsTest {
    private static final String T1 = "2026-11-29T07:00:00Z";
    private static final String T2 = "2026-11-29T08:00:00Z";

    @Test
    void aForceSentWithANewRequestIsHonoured() {
        HelmRelease release = release(Map.of(AnnotationRequests.FORCE_AT, T2), T2, T1, T1);
        assertThat(
                        AnnotationRequests.of(
                                release,
                                release.getMetadata()
                                        .getAnnotations()
                                        .get("reconcile.fluxcd.io/requestedAt")))
                .isEqualTo(new AnnotationRequests(true, false));
    }

    @Test
    void aForceAlreadyHandledIsNot() {
        HelmRelease release = release(Map.of(AnnotationRequests.FORCE_AT, T2), T2, T1, T2);
        assertThat(
                        AnnotationRequests.of(
                                        release,
                                        release.getMetadata()
                                                .getAnnotations()
                                                .get("reconcile.fluxcd.io/requestedAt"))
                                .force())
                .isFalse();
    }

    @Test
    void aForceOfAnOlderRequestIsNot() {
        // flux reconcile without --force after a forced one: forceAt stays, requestedAt moves on
        HelmRelease release = release(Map.of(AnnotationRequests.FORCE_AT, T1), T2, T1, null);
        assertThat(
                        AnnotationRequests.of(
                                        release,
                                        release.getMetadata()
                                                .getAnnotations()
                                                .get("reconcile.fluxcd.io/requestedAt"))
                                .force())
                .isFalse();
    }

    @Test
    void aRequestAlreadyHandledHonoursNothing() {
        HelmRelease release =
                release(
                        Map.of(AnnotationRequests.FORCE_AT, T2, AnnotationRequests.RESET_AT, T2),
                        T2,
                        T2,
                        null);
        assertThat(
                        AnnotationRequests.of(
                                release,
                                release.getMetadata()
                                        .getAnnotations()
                                        .get("reconcile.fluxcd.io/requestedAt")))
                .isEqualTo(new AnnotationRequests(false, false));
    }

    @Test
    void aForceIsNotHonouredForAnAttemptRenderedBeforeIt() {
        // flux reconcile hr --with-source --force: the chart step's render carries the old
        // requestedAt, and may reach apply-service after the force is set
        HelmRelease release = release(Map.of(AnnotationRequests.FORCE_AT, T2), T2, null, null);
        assertThat(AnnotationRequests.of(release, T1).force()).isFalse();
        assertThat(AnnotationRequests.of(release, T2).force()).isTrue();
    }

    @Test
    void aResetIsHonouredOnItsOwn() {
        HelmRelease release = release(Map.of(AnnotationRequests.RESET_AT, T2), T2, T1, null);
        assertThat(
                        AnnotationRequests.of(
                                release,
                                release.getMetadata()
                                        .getAnnotations()
                                        .get("reconcile.fluxcd.io/requestedAt")))
                .isEqualTo(new AnnotationRequests(false, true));
    }

    private static HelmRelease release(
            Map<String, String> annotations,
            String requestedAt,
            String lastHandledReconcileAt,
            String lastHandledForceAt) {
        Map<String, String> all = new HashMap<>(annotations);
        all.put("reconcile.fluxcd.io/requestedAt", requestedAt);
        HelmRelease release = new HelmRelease();
        release.setMetadata(
                new ObjectMetaBuilder()
                        .withName("r")
                        .withNamespace("n")
                        .withAnnotations(all)
                        .build());
        HelmReleaseStatus status = new HelmReleaseStatus();
        status.lastHandledReconcileAt = lastHandledReconcileAt;
        status.lastHandledForceAt = lastHandledForceAt;
        release.setStatus(status);
        return release;
    }
}
