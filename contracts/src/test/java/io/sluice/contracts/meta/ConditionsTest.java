package io.sluice.contracts.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void aMessageLongerThanFluxsSchemaAllowsIsCutToFit() {
        List<Condition> set =
                Conditions.set(
                        null,
                        Conditions.READY,
                        false,
                        Reasons.RECONCILIATION_FAILED,
                        "x".repeat(40000),
                        1);
        assertThat(set.get(0).getMessage()).hasSize(Conditions.MAX_MESSAGE).endsWith("...");
    }

    @Test
    void aMissingMessageIsWrittenEmptyAsTheSchemaRequiresOne() {
        assertThat(
                        Conditions.set(
                                        null,
                                        Conditions.READY,
                                        true,
                                        Reasons.RECONCILIATION_SUCCEEDED,
                                        null,
                                        1)
                                .get(0)
                                .getMessage())
                .isEmpty();
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> first =
                Conditions.set(
                        null, Conditions.READY, true, Reasons.RECONCILIATION_SUCCEEDED, "a", 1);
        first.get(0).setLastTransitionTime("2026-01-01T00:00:00Z");
        assertThat(
                        Conditions.set(
                                        first,
                                        Conditions.READY,
                                        true,
                                        Reasons.RECONCILIATION_SUCCEEDED,
                                        "b",
                                        2)
                                .get(0)
                                .getLastTransitionTime())
                .isEqualTo("2026-01-01T00:00:00Z");
        assertThat(
                        Conditions.set(
                                        first,
                                        Conditions.READY,
                                        false,
                                        Reasons.RECONCILIATION_FAILED,
                                        "c",
                                        2)
                                .get(0)
                                .getLastTransitionTime())
                .isNotEqualTo("2026-01-01T00:00:00Z");
    }
}
