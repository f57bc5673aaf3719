package io.sluice.health.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthCheckExpressionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HealthCheckExpressions parse(String json) throws Exception {
        return HealthCheckExpressions.parse(JSON.readTree(json));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }

    @Test
    void inProgressThenFailedThenCurrentTheFirstTrueDeciding() throws Exception {
        HealthCheckExpressions exprs =
                parse(
                        """
                [{"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
                  "inProgress": "status.phase == 'Syncing'",
                  "failed": "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'False')",
                  "current": "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'True')"}]""");
        String secret =
                """
                {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": {"name": "s", "generation": 2},
                 "status": {"observedGeneration": 2, "phase": "%s", "conditions": [{"type": "Synced", "status": "%s"}]}}""";
        assertThat(exprs.judge(object(secret.formatted("Syncing", "True"))))
                .hasValueSatisfying(r -> assertThat(r.ready()).isFalse());
        assertThat(exprs.judge(object(secret.formatted("Done", "False"))))
                .hasValueSatisfying(r -> assertThat(r.failed()).as(r.message()).isTrue());
        assertThat(exprs.judge(object(secret.formatted("Done", "True"))))
                .hasValueSatisfying(r -> assertThat(r.ready()).isTrue());
    }

    @Test
    void aGenerationNotYetObservedIsInProgressWhateverTheExpressionsSay() throws Exception {
        HealthCheckExpressions exprs =
                parse(
                        "[{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"current\": \"true\"}]");
        assertThat(
                        exprs.judge(
                                object(
                                        """
                {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"generation": 3}, "status": {"observedGeneration": 2}}""")))
                .hasValueSatisfying(
                        r -> assertThat(r.message()).contains("generation not yet observed"));
    }

    @Test
    void anEntryForTheKindWinsOverOneForItsGroupAndTheVersionIsIgnored() throws Exception {
        HealthCheckExpressions exprs =
                parse(
                        """
                [{"apiVersion": "example.com/v1", "current": "false"},
                 {"apiVersion": "example.com/v1beta1", "kind": "Widget", "current": "true"}]""");
        assertThat(
                        exprs.judge(
                                object(
                                        "{\"apiVersion\": \"example.com/v2\", \"kind\": \"Widget\", \"metadata\": {}}")))
                .hasValueSatisfying(r -> assertThat(r.ready()).isTrue());
        assertThat(
                        exprs.judge(
                                object(
                                        "{\"apiVersion\": \"example.com/v2\", \"kind\": \"Gadget\", \"metadata\": {}}")))
                .hasValueSatisfying(r -> assertThat(r.ready()).isFalse());
        assertThat(
                        exprs.judge(
                                object(
                                        "{\"apiVersion\": \"other.com/v1\", \"kind\": \"Widget\", \"metadata\": {}}")))
                .isEmpty();
    }

    @Test
    void anExpressionOnAFieldNotThereYetLeavesTheObjectNotReady() throws Exception {
        HealthCheckExpressions exprs =
                parse(
                        "[{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"current\": \"status.ready\"}]");
        assertThat(
                        exprs.judge(
                                object(
                                        "{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"metadata\": {}}")))
                .hasValueSatisfying(
                        r -> {
                            assertThat(r.ready()).isFalse();
                            assertThat(r.failed()).isFalse();
                            assertThat(r.message()).contains("could not be evaluated");
                        });
    }

    @Test
    void anExpressionThatDoesNotParseIsRefusedNamingTheEntryAndTheExpression() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "[{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"current\": \"status.ready ==\"}]"))
                .isInstanceOf(HealthCheckExpressions.InvalidExpression.class)
                .hasMessageContaining(
                        "healthCheckExprs[0]: failed to parse the expression Current 'status.ready =='");
        assertThatThrownBy(
                        () -> parse("[{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\"}]"))
                .hasMessageContaining("expression Current not specified");
    }
}
