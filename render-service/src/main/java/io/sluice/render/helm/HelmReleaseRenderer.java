package io.sluice.render.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.cluster.TargetClusters;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.BundleSeal;
import io.sluice.contracts.events.ChartRelease;
import io.sluice.contracts.events.Manifests;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmValues;
import io.sluice.contracts.helm.ReleaseNaming;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.render.artifact.ArtifactFetcher;
import io.sluice.render.artifact.WorkDirs;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.KustomizeRunner;
import io.sluice.render.build.PinnedTool;
import io.sluice.render.publish.RenderPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The story of rendering one HelmRelease: take the chart source-service announced (or pass its
 * failure on; a chart in Git is packaged from the Git artifact first), merge the values, render
 * with Helm under the release name and namespace Flux would use, give namespaced objects the
 * release namespace, and send the objects to apply-service.
 */
@ApplicationScoped
public class HelmReleaseRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final BundleSeal seal;
    private final RenderPublisher publisher;
    private final ObjectStates states;
    private final ArtifactFetcher fetcher = new ArtifactFetcher();
    private final PinnedTool helm = PinnedTool.locate("SLUICE_HELM", "helm");
    private final ChartRenderer renderer = new ChartRenderer(helm, KustomizeRunner.locate());
    private final ClusterCapabilities capabilities;
    private final NamespaceDefaulter namespaces;

    /** The account of a release that names none; blank: render-service's own. */
    private final String defaultServiceAccount;

    public HelmReleaseRenderer(
            KubernetesClient client,
            RenderPublisher publisher,
            ObjectStates states,
            ClusterCapabilities capabilities,
            BundleSeal seal,
            @ConfigProperty(name = "sluice.default-service-account")
                    Optional<String> defaultServiceAccount) {
        this.defaultServiceAccount = defaultServiceAccount.orElse("");
        this.client = client;
        this.seal = seal;
        this.capabilities = capabilities;
        this.publisher = publisher;
        this.states = states;
        this.namespaces = new NamespaceDefaulter(client);
    }

    /**
     * Renders the release from the chart source-service announced; {@code resyncAt} marks a
     * periodic resync. False when the release is gone or being deleted.
     */
    public boolean render(ArtifactEvent chart, String resyncAt) {
        ObjectRef ref = chart.source();
        HelmRelease release =
                client.resources(HelmRelease.class)
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
        if (release == null || release.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        if (Boolean.TRUE.equals(release.getSpec().suspend)) {
            states.succeeded(ref, null, Reasons.SUSPENDED, "suspended");
            return true;
        }
        String revision = chart.revision() == null ? "" : chart.revision();
        Map<String, String> annotations = release.getMetadata().getAnnotations();
        Attempt attempt =
                new Attempt(
                        ref,
                        release.getMetadata().getGeneration(),
                        revision,
                        annotations == null ? null : annotations.get(Annotations.REQUESTED_AT),
                        resyncAt);
        publisher.publish(
                attempt,
                () ->
                        chart.failure() != null
                                ? RenderResult.failed(attempt, chart.failure())
                                : build(attempt, release, chart));
        return true;
    }

    private RenderResult build(Attempt attempt, HelmRelease release, ArtifactEvent chart)
            throws BuildException, IOException, InterruptedException {
        if (TargetClusters.remote(release.getSpec().kubeConfig)) {
            // rendered against this cluster (its capabilities, lookup) it would be wrong, and
            // lookup could read this cluster's Secrets into it
            throw new BuildException(
                    "spec.kubeConfig is not supported for a HelmRelease yet: nothing is installed");
        }
        Path workDir = Files.createTempDirectory("release-");
        try {
            String name = release.getMetadata().getName();
            String namespace =
                    ReleaseNaming.namespace(
                            release.getMetadata().getNamespace(),
                            release.getSpec().targetNamespace);
            Map<String, Object> values;
            try {
                values = HelmValues.of(client, release);
            } catch (HelmValues.InvalidValues e) {
                throw new BuildException(e.getMessage());
            }
            Path archive;
            if (GitChart.isGitChart(release)) {
                archive =
                        GitChart.packaged(
                                helm, fetcher, chart, release.getSpec().chart.spec.chart, workDir);
            } else {
                archive = workDir.resolve("chart.tgz");
                fetcher.download(chart.url(), chart.digest(), archive);
                if (fromOciRepository(release)) {
                    archive = OciChart.versioned(archive, attempt.revision(), workDir);
                }
            }
            String releaseName =
                    ReleaseNaming.releaseName(
                            name, release.getSpec().targetNamespace, release.getSpec().releaseName);
            Optional<HelmStorage.Latest> latest = HelmStorage.latest(client, release, releaseName);
            boolean installed = HelmStorage.installed(latest);
            List<Map<String, Object>> objects =
                    renderer.render(
                            archive,
                            releaseName,
                            namespace,
                            values,
                            target(release, installed, HelmStorage.templateRevision(latest)),
                            CrdPolicy.of(release, installed),
                            release.getSpec().postRenderers,
                            release.getSpec().commonMetadata);
            namespaces.apply(objects, namespace);
            ChartMetadata chartMetadata = ChartMetadata.read(archive);
            ChartRelease target =
                    new ChartRelease(
                            releaseName,
                            namespace,
                            chartMetadata.name(),
                            chartMetadata.version(),
                            chartMetadata.appVersion(),
                            HelmValues.digest(values),
                            postRenderDigest(release));
            return RenderResult.renderedRelease(
                    attempt, Manifests.encode(objects, seal), objects.size(), target);
        } finally {
            WorkDirs.delete(workDir);
        }
    }

    private static boolean fromOciRepository(HelmRelease release) {
        JsonNode chartRef = release.getSpec().chartRef;
        return chartRef != null && OCIRepository.KIND.equals(chartRef.path("kind").asText());
    }

    /** What of the spec changes the render after Helm: its post-renderers and common metadata. */
    static String postRenderDigest(HelmRelease release) {
        JsonNode postRenderers = release.getSpec().postRenderers;
        JsonNode commonMetadata = release.getSpec().commonMetadata;
        boolean none =
                (postRenderers == null || postRenderers.isNull())
                        && (commonMetadata == null || commonMetadata.isNull());
        if (none) {
            return null;
        }
        Map<String, Object> spec = new HashMap<>();
        spec.put("postRenderers", JSON.convertValue(postRenderers, Object.class));
        spec.put("commonMetadata", JSON.convertValue(commonMetadata, Object.class));
        return HelmValues.digest(spec);
    }

    /**
     * As helm-controller renders: the live cluster's capabilities, and {@code lookup} as the
     * release's service account.
     */
    private ChartRenderer.Target target(HelmRelease release, boolean installed, int revision) {
        String account = release.getSpec().serviceAccountName;
        if (account == null || account.isBlank()) {
            account = defaultServiceAccount; // Flux's --default-service-account
        }
        return new ChartRenderer.Target(
                capabilities.current(),
                installed,
                revision,
                true,
                account.isBlank() ? null : release.getMetadata().getNamespace() + ":" + account,
                release.getSpec().test != null
                        && release.getSpec().test.path("enable").asBoolean(false));
    }
}
