package io.sluice.contracts.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class GrantedPermissionsTest {
    @Test
    void theRulesOfTheServicesClusterRoleAndItsRolesAreReadAsQuarkusKubernetesWritesThem() {
        Properties properties = new Properties();
        String rules = "quarkus.kubernetes.rbac.cluster-roles.source-service.policy-rules.";
        properties.setProperty(rules + "charts.api-groups", "source.toolkit.fluxcd.io");
        properties.setProperty(rules + "charts.resources", "helmcharts,helmcharts/status");
        properties.setProperty(rules + "charts.verbs", "create,patch");
        properties.setProperty(rules + "secrets.api-groups", "");
        properties.setProperty(rules + "secrets.resources", "secrets");
        properties.setProperty(rules + "secrets.verbs", "get");
        String other = "quarkus.kubernetes.rbac.cluster-roles.other.policy-rules.";
        properties.setProperty(other + "all.api-groups", "*");
        properties.setProperty(other + "all.resources", "*");
        properties.setProperty(other + "all.verbs", "delete");
        String role = "quarkus.kubernetes.rbac.roles.source-service-key.policy-rules.key.";
        properties.setProperty(role + "api-groups", "");
        properties.setProperty(role + "resources", "secrets");
        properties.setProperty(role + "verbs", "create");

        assertThat(GrantedPermissions.declared(properties, "source-service"))
                .extracting(p -> p.named() + (p.namespaced() ? " (namespace)" : ""))
                .containsExactlyInAnyOrder(
                        "create helmcharts.source.toolkit.fluxcd.io",
                        "patch helmcharts.source.toolkit.fluxcd.io",
                        "create helmcharts/status.source.toolkit.fluxcd.io",
                        "patch helmcharts/status.source.toolkit.fluxcd.io",
                        "get secrets",
                        "create secrets (namespace)");
    }
}
