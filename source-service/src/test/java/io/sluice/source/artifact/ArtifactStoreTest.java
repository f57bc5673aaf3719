package io.sluice.source.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.source.Artifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    private static final String HERE = "http://source-service.sluice:8080";

    @TempDir Path root;

    @Test
    void aKeptArtifactWithTheSameContentIsServedFromThisStore() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        StoredArtifact stored =
                store.store(out -> out.write("chart".getBytes(StandardCharsets.UTF_8)));
        Artifact recordedByFlux = new Artifact();
        recordedByFlux.digest = stored.digest();
        recordedByFlux.url =
                "http://source-controller.flux-system.svc.cluster.local./ocirepository/ns/podinfo/x.tar.gz";

        assertThat(store.adopt(recordedByFlux, HERE)).isTrue();
        assertThat(recordedByFlux.url).isEqualTo(HERE + "/artifacts/" + stored.fileName());
        assertThat(store.file(stored.fileName())).isPresent();
    }

    @Test
    void anArtifactThisStoreDoesNotHoldIsNotKept() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        Artifact elsewhere = new Artifact();
        elsewhere.digest = "sha256:" + "0".repeat(64);
        elsewhere.url = "http://source-controller.flux-system/x.tar.gz";

        assertThat(store.adopt(elsewhere, HERE)).isFalse();
        assertThat(elsewhere.url).isEqualTo("http://source-controller.flux-system/x.tar.gz");
        assertThat(store.adopt(null, HERE)).isFalse();
    }
}
