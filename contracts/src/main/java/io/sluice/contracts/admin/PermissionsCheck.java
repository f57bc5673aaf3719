package io.sluice.contracts.admin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A service is ready only with every permission its chart grants it ({@link GrantedPermissions}):
 * one a cluster's RBAC leaves out makes {@code /q/health/ready} DOWN, naming the verb and resource
 * ("missing": "create helmcharts.source.toolkit.fluxcd.io"). Checked again at most every 15 s; an
 * API server that does not answer is not a missing permission (reported, readiness kept).
 */
@Readiness
@ApplicationScoped
public class PermissionsCheck implements HealthCheck {
    private static final Duration RECHECK = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final String service;
    private final String namespace;
    private HealthCheckResponse last;
    private Instant checked = Instant.MIN;

    public PermissionsCheck(
            KubernetesClient client,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "sluice.namespace", defaultValue = "flux-system")
                    String namespace) {
        this.client = client;
        this.service = service;
        this.namespace = namespace;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        Instant now = Instant.now();
        if (last != null && now.isBefore(checked.plus(RECHECK))) {
            return last;
        }
        var response = HealthCheckResponse.named("permissions");
        try {
            List<GrantedPermissions.Permission> missing =
                    GrantedPermissions.missing(
                            client, GrantedPermissions.declared(service), namespace);
            last =
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
            last = response.up().withData("unchecked", String.valueOf(e.getMessage())).build();
        }
        checked = now;
        return last;
    }
}
