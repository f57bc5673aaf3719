package io.sluice.source.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.oci.OciChartPuller;
import java.io.IOException;
import java.time.Duration;

/**
 * A chart pulled from a HelmRepository and stored, as source-controller's HelmChart reconciler
 * pulls it: from an OCI registry ({@code type: oci}), else the newest version of the repository's
 * index within the range.
 */
final class ChartPuller {
    /** What was stored: the chart's name and version as the repository gives them. */
    record Pulled(String name, String version, StoredArtifact stored) {}

    private final KubernetesClient client;
    private final ArtifactStore store;

    ChartPuller(KubernetesClient client, ArtifactStore store) {
        this.client = client;
        this.store = store;
    }

    /** {@code repositoryName}: {@code namespace/name}, for messages. */
    Pulled pull(HelmRepository repository, String repositoryName, String chart, String version)
            throws ChartNotFoundException,
                    OciChartPuller.PullFailed,
                    IOException,
                    InterruptedException {
        if ("oci".equals(repository.getSpec().type)) {
            OciChartPuller.Pulled pulled =
                    OciChartPuller.pull(
                            repository.getSpec().url,
                            chart,
                            version,
                            HelmRepositoryLogin.of(client, repository)
                                    .map(l -> l.user() + ":" + l.password()),
                            Boolean.TRUE.equals(repository.getSpec().insecure),
                            GoDuration.parse(repository.getSpec().timeout, Duration.ofSeconds(60)),
                            store);
            return new Pulled(chart, pulled.version(), pulled.stored());
        }
        ChartRepositoryClient repositoryClient =
                HelmRepositoryLogin.client(HelmRepositoryLogin.of(client, repository));
        String url = repository.getSpec().url;
        ChartVersion resolved;
        try {
            resolved = repositoryClient.index(url).resolve(chart, version);
        } catch (ChartNotFoundException e) {
            throw new ChartNotFoundException(
                    e.getMessage()
                            + " in HelmRepository "
                            + repositoryName
                            + " ("
                            + ChartRepositoryClient.redacted(url)
                            + ")");
        }
        StoredArtifact stored = repositoryClient.download(url, resolved, store);
        return new Pulled(resolved.name(), resolved.version(), stored);
    }
}
