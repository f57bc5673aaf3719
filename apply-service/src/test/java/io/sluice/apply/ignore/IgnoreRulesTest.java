package io.sluice.apply.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void labelSelectorsReadKubernetesSyntax() {
        Map<String, String> labels = Map.of("app", "web", "env", "prod");
        assertThat(LabelSelector.parse("app=web,env in (prod, staging)", "label").matches(labels))
                .isTrue();
        assertThat(LabelSelector.parse("app==web,!legacy", "label").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("env notin (prod)", "label").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("tier!=db", "label").matches(labels))
                .as("absent: not db")
                .isTrue();
        assertThat(LabelSelector.parse("app", "label").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app", "label").matches(null)).isFalse();
        assertThatThrownBy(() -> LabelSelector.parse("app=web=x", "label"))
                .hasMessage("invalid label selector: unable to parse requirement: app=web=x");
    }

    @Test
    void targetsMatchWholeValuesAsAnchoredRegularExpressions() throws Exception {
        IgnoreRules rules =
                IgnoreRules.of(
                        JSON.readTree(
                                """
                [{"paths": ["/spec/replicas"], "target": {"group": "apps|batch", "kind": "Deploy"}},
                 {"paths": ["/spec/paused"], "target": {"kind": "Deployment", "name": "web"}}]"""));
        assertThat(rules.paths(object("apps/v1", "Deployment", "web")))
                .as("Deploy is not Deployment; web matches web only")
                .containsExactly("/spec/paused");
        assertThat(rules.paths(object("apps/v1", "Deployment", "web-2"))).isEmpty();
    }

    @Test
    void anInvalidTargetFailsWithFluxsMessage() throws Exception {
        IgnoreRules rules =
                IgnoreRules.of(
                        JSON.readTree(
                                "[{\"paths\": [\"/spec/replicas\"], \"target\": {\"name\": \"web-(\"}}]"));
        assertThatThrownBy(() -> rules.paths(object("apps/v1", "Deployment", "web")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "failed to create ignore rule selector: invalid name regex: ");
    }

    private static GenericKubernetesResource object(String apiVersion, String kind, String name) {
        return Serialization.jsonMapper()
                .convertValue(
                        Map.of(
                                "apiVersion",
                                apiVersion,
                                "kind",
                                kind,
                                "metadata",
                                Map.of("name", name, "namespace", "apps")),
                        GenericKubernetesResource.class);
    }
}
