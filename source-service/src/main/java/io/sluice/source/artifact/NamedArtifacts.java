package io.sluice.source.artifact;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.contracts.source.OCIRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The artifacts that sources' statuses name now, in every namespace, whichever replica stored them:
 * what the store keeps, and where a replica that lacks one finds the replica that has it.
 */
@ApplicationScoped
public class NamedArtifacts {
    private final KubernetesClient client;

    public NamedArtifacts(KubernetesClient client) {
        this.client = client;
    }

    /** Each named artifact by its digest (equal content is one file, wherever it is named). */
    public Map<String, Artifact> byDigest() {
        Map<String, Artifact> named = new HashMap<>();
        add(named, GitRepository.class, r -> r.getStatus() == null ? null : r.getStatus().artifact);
        add(named, OCIRepository.class, r -> r.getStatus() == null ? null : r.getStatus().artifact);
        add(
                named,
                HelmRepository.class,
                r -> r.getStatus() == null ? null : r.getStatus().artifact);
        add(named, HelmChart.class, r -> r.getStatus() == null ? null : r.getStatus().artifact);
        return named;
    }

    /**
     * A kind whose CRD is not installed (a cluster with only some of Flux's sources) names none;
     * any other failure to list is thrown, so that the collector deletes nothing in that round.
     */
    private <T extends HasMetadata> void add(
            Map<String, Artifact> named, Class<T> kind, Function<T, Artifact> artifact) {
        List<T> sources;
        try {
            sources = client.resources(kind).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return;
            }
            throw e;
        }
        for (T source : sources) {
            Artifact current = artifact.apply(source);
            if (current != null && ArtifactStore.isDigest(current.digest)) {
                named.put(current.digest, current);
            }
        }
    }
}
