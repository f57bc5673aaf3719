package io.sluice.contracts.admin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A service is ready only with every permission its chart grants it ({@link GrantedPermissions}):
 * one a cluster's RBAC leaves out makes {@code /q/health/ready} DOWN, naming the verb and resource
 * ("missing": "create helmcharts.source.toolkit.fluxcd.io"). Checked again in the background when
 * the last check is over 15 s old; an API server that does not answer is not a missing permission
 * (reported, readiness kept).
 */
@Readiness
@ApplicationScoped
public class PermissionsCheck implements HealthCheck {
    private static final Duration RECHECK = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final String service;
    private final String namespace;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private HealthCheckResponse last;
    private volatile Instant checked = Instant.MIN;

    public PermissionsCheck(
            KubernetesClient client,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "sluice.namespace", defaultValue = "flux-system")
                    String namespace) {
        this.client = client;
        this.service = service;
        this.namespace = namespace;
    }

    /**
     * The last result; once there is one, a stale one is refreshed in the background, so a slow API
     * server never holds up the probe.
     */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse current;
        synchronized (this) {
            current = last;
        }
        if (current == null) {
            return refresh();
        }
        if (Instant.now().isAfter(checked.plus(RECHECK)) && refreshing.compareAndSet(false, true)) {
            CompletableFuture.runAsync(
                    () -> {
                        try {
                            refresh();
                        } finally {
                            refreshing.set(false);
                        }
                    });
        }
        return current;
    }

    private HealthCheckResponse refresh() {
        var response = HealthCheckResponse.named("permissions");
        HealthCheckResponse result;
        try {
            List<GrantedPermissions.Permission> missing =
                    GrantedPermissions.missing(
                            client, GrantedPermissions.declared(service), namespace);
            result =
                    missing.isEmpty()
                            ? response.up().build()
                            : response.down()
                                    .withData(
                                            "missing",
                                            missing.stream()
                                                    .map(GrantedPermissions.Permission::named)
                                                    .collect(Collectors.joining(", ")))
                                    .build();
        } catch (KubernetesClientException e) {
            result = response.up().withData("unchecked", String.valueOf(e.getMessage())).build();
        }
        synchronized (this) {
            last = result;
            checked = Instant.now();
        }
        return result;
    }
}
