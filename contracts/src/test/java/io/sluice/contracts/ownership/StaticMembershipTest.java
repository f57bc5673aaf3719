package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {
    @Test
    void aConsumerOfANamedReplicaIsAStaticMemberOnePerChannel() {
        assertThat(
                        StaticMembership.withInstance(
                                "sluice.rendered.v1",
                                new HashMap<>(Map.of("group.id", "apply-service")),
                                Optional.of("apply-service-1")))
                .containsEntry("group.instance.id", "apply-service-1-sluice.rendered.v1");
    }

    @Test
    void producersAndReplicasWithoutAStableNameAreLeftAsTheyAre() {
        assertThat(
                        StaticMembership.withInstance(
                                "sluice.applied.v1",
                                new HashMap<>(Map.of("acks", "all")),
                                Optional.of("apply-service-1")))
                .doesNotContainKey("group.instance.id");
        assertThat(
                        StaticMembership.withInstance(
                                "sluice.rendered.v1",
                                new HashMap<>(Map.of("group.id", "apply-service")),
                                Optional.empty()))
                .doesNotContainKey("group.instance.id");
    }
}
