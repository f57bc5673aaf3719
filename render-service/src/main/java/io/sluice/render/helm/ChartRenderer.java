package io.sluice.render.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.meta.Annotations;
import io.sluice.render.artifact.WorkDirs;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.CommonMetadata;
import io.sluice.render.build.KustomizeRunner;
import io.sluice.render.build.PinnedTool;
import io.sluice.render.build.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a packaged chart with the real Helm ({@code helm template}, the pinned build of {@code
 * deploy/local/helm/build} named by {@code $SLUICE_HELM}, else {@code helm} on the PATH), as
 * helm-controller's install or upgrade renders it: the release name and namespace Flux computes,
 * the merged values, the target cluster's Kubernetes version and API versions ({@link
 * HelmCapabilities}), {@code .Release.IsUpgrade} once the release is installed and {@code
 * .Release.Revision} as the action stores it (the pinned build's one patch), {@code lookup}
 * answered by the live cluster as the release's service account (when rendering for one), hooks
 * included (test hooks only when the release runs tests), and the chart's {@code crds/} directory
 * included or not, and marked, according to the release's {@link CrdPolicy}.
 */
public final class ChartRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final PinnedTool helm;
    private final PostRenderers postRenderers;

    public ChartRenderer(PinnedTool helm, KustomizeRunner kustomize) {
        this.helm = helm;
        this.postRenderers = new PostRenderers(kustomize);
    }

    /**
     * How a render sees the cluster.
     *
     * @param upgrade the release is installed: {@code .Release.IsUpgrade} instead of {@code
     *     IsInstall}
     * @param revision {@code .Release.Revision}
     * @param lookup Helm's {@code lookup} reads the live cluster (else it finds nothing, as in
     *     {@code helm template})
     * @param serviceAccount {@code namespace:name} that {@code lookup} reads as, or null for the
     *     service's own identity
     * @param tests the chart's test hooks are rendered ({@code spec.test.enable}); Helm stores them
     *     with every release, but their names are often random, and a release that never runs them
     *     gains nothing from a render that changes each time
     */
    public record Target(
            HelmCapabilities capabilities,
            boolean upgrade,
            int revision,
            boolean lookup,
            String serviceAccount,
            boolean tests) {}

    /**
     * {@code postRenderers}, then {@code commonMetadata}, go over the release's objects as
     * helm-controller's post-renderers do: not over hooks or crds/.
     */
    public List<Map<String, Object>> render(
            Path chart,
            String releaseName,
            String namespace,
            Map<String, Object> values,
            Target target,
            CrdPolicy crds,
            JsonNode postRenderers,
            JsonNode commonMetadata)
            throws BuildException {
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("chart-");
            Path valuesFile = workDir.resolve("values.json");
            JSON.writeValue(valuesFile.toFile(), values);
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "template",
                                    releaseName,
                                    chart.toString(),
                                    "--namespace",
                                    namespace,
                                    "--values",
                                    valuesFile.toString(),
                                    "--kube-version",
                                    target.capabilities().kubeVersion(),
                                    "--skip-crds"));
            if (!target.tests()) {
                args.add("--skip-tests");
            }
            if (!target.capabilities().apiVersions().isEmpty()) {
                args.addAll(
                        List.of(
                                "--api-versions",
                                String.join(",", target.capabilities().apiVersions())));
            }
            if (target.upgrade()) {
                args.add("--is-upgrade");
            }
            if (target.lookup()) {
                args.add("--dry-run=server");
                if (target.serviceAccount() != null) {
                    args.addAll(
                            List.of(
                                    "--kube-as-user",
                                    "system:serviceaccount:" + target.serviceAccount()));
                }
            }
            List<Map<String, Object>> objects =
                    new ArrayList<>(crds.includes() ? crds.mark(ChartCrds.read(chart)) : List.of());
            List<Map<String, Object>> rendered =
                    YamlDocuments.objectsAsKubernetesReadsThem(
                            helm.withVariable(
                                            "HELM_TEMPLATE_REVISION",
                                            String.valueOf(target.revision()))
                                    .run("helm template of " + chart.getFileName(), args, TIMEOUT),
                            "helm template of " + chart.getFileName());
            List<Map<String, Object>> release =
                    this.postRenderers.apply(
                            rendered.stream().filter(o -> !isHook(o)).toList(), postRenderers);
            CommonMetadata.apply(release, commonMetadata);
            objects.addAll(release);
            objects.addAll(rendered.stream().filter(ChartRenderer::isHook).toList());
            return objects;
        } catch (IOException e) {
            throw new BuildException(
                    "cannot write values for " + chart.getFileName() + ": " + e.getMessage(), e);
        } finally {
            WorkDirs.delete(workDir);
        }
    }

    private static boolean isHook(Map<String, Object> object) {
        return object.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("annotations") instanceof Map<?, ?> annotations
                && annotations.containsKey(Annotations.HELM_HOOK);
    }
}
