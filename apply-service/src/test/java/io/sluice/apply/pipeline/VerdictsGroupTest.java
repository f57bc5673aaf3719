package io.sluice.apply.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictsGroupTest {
    @Test
    void aReplicaWithAStableNameReadsVerdictsInAGroupOfItsOwn() {
        assertThat(VerdictsGroup.groupOf(Optional.of("apply-service-1")))
                .isEqualTo("apply-service-verdicts-apply-service-1");
    }

    @Test
    void withoutOneTheGroupIsAlwaysTheSame() {
        assertThat(VerdictsGroup.groupOf(Optional.empty())).isEqualTo("apply-service-verdicts");
        assertThat(VerdictsGroup.groupOf(Optional.of(" "))).isEqualTo("apply-service-verdicts");
    }
}
