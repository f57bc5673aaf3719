package io.sluice.source.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.source.Artifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    private static final String HERE = "http://source-service.sluice:8080";

    private static final Duration HOUR = Duration.ofHours(1);

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

    @Test
    void collectingDeletesOnlyFilesNoStatusHasNamedForAnHourAndStoredOverAnHourAgo()
            throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        Instant start = Instant.now();
        StoredArtifact named = store.store(out -> out.write(1));
        StoredArtifact old = store.store(out -> out.write(2));
        StoredArtifact storedLater = store.store(out -> out.write(3));
        StoredArtifact replacedLater = store.store(out -> out.write(4));
        for (StoredArtifact stored : List.of(named, old, storedLater, replacedLater)) {
            storedAt(stored, start.minus(Duration.ofHours(3)));
        }
        storedAt(storedLater, start.plus(Duration.ofMinutes(90)));

        assertThat(store.collect(Set.of(named.digest(), replacedLater.digest()), HOUR, start))
                .as("none unnamed for an hour yet")
                .isZero();
        assertThat(store.collect(Set.of(named.digest()), HOUR, start.plus(Duration.ofHours(2))))
                .isEqualTo(1);

        assertThat(store.has(old.digest())).isFalse();
        assertThat(store.has(named.digest())).isTrue();
        assertThat(store.has(storedLater.digest())).as("stored 30 minutes before").isTrue();
        assertThat(store.has(replacedLater.digest())).as("named until just now").isTrue();
    }

    @Test
    void adoptingAFileCountsAsStoringItNow() throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        StoredArtifact stored = store.store(out -> out.write(5));
        storedAt(stored, Instant.now().minus(Duration.ofHours(3)));
        Artifact again = new Artifact();
        again.digest = stored.digest();

        assertThat(store.adopt(again, HERE)).isTrue();

        assertThat(Files.getLastModifiedTime(root.resolve(stored.fileName())).toInstant())
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
    }

    @Test
    void onlyDigestsOfItsOwnFormNameAFile() {
        assertThat(ArtifactStore.isDigest("sha256:" + "a".repeat(64))).isTrue();
        assertThat(ArtifactStore.isDigest("sha256:../../etc/passwd")).isFalse();
        assertThat(ArtifactStore.isDigest("sha512:" + "a".repeat(64))).isFalse();
    }

    private void storedAt(StoredArtifact stored, Instant at) throws Exception {
        Files.setLastModifiedTime(root.resolve(stored.fileName()), FileTime.from(at));
    }
}
