package io.sluice.contracts.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.ObjectRef;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class ObjectLogContextTest {
    @Test
    void closingPutsBackWhatTheKeysHeldBefore() {
        ObjectLogContext outer =
                ObjectLogContext.of(new ObjectRef("Kustomization", "ns", "apps"), "main@sha1:1");
        ObjectLogContext inner =
                ObjectLogContext.of(new ObjectRef("HelmRelease", "ns", "web"), null);
        assertThat(MDC.get("object")).isEqualTo("HelmRelease/ns/web");
        assertThat(MDC.get("revision")).isNull();

        inner.close();
        assertThat(MDC.get("object")).isEqualTo("Kustomization/ns/apps");
        assertThat(MDC.get("revision")).isEqualTo("main@sha1:1");

        outer.close();
        assertThat(MDC.get("object")).isNull();
        assertThat(MDC.get("revision")).isNull();
    }
}
