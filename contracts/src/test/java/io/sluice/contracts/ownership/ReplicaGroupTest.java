package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaGroupTest {
    @Test
    void aReplicaWithAStableNameReadsInAGroupOfItsOwn() {
        assertThat(ReplicaGroup.groupOf("apply-service-verdicts", Optional.of("apply-service-1")))
                .isEqualTo("apply-service-verdicts-apply-service-1");
    }

    @Test
    void withoutOneTheGroupIsTheChannelsOwn() {
        assertThat(ReplicaGroup.groupOf("apply-service-verdicts", Optional.empty()))
                .isEqualTo("apply-service-verdicts");
        assertThat(ReplicaGroup.groupOf("apply-service-verdicts", Optional.of(" ")))
                .isEqualTo("apply-service-verdicts");
    }
}
