package io.sluice.render.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.sluice.render.artifact.WorkDirs;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a packaged chart with the real Helm (helm-java embeds Helm's Go library), as {@code helm template
 * --skip-tests} would, hooks included (see {@link ChartHooks}):
 * the release name and namespace Flux computes, the merged values, the target cluster's Kubernetes version (charts
 * check it against their {@code kubeVersion}, and templates read it), and the chart's {@code crds/} directory included
 * or not, and marked, according to the release's {@link CrdPolicy}.
 */
public final class ChartRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    public List<Map<String, Object>> render(Path chart, String releaseName, String namespace, Map<String, Object> values,
                                            String kubeVersion, CrdPolicy crds) throws BuildException {
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("chart-");
            Path valuesFile = workDir.resolve("values.json");
            JSON.writeValue(valuesFile.toFile(), values);
            Path unpacked = ChartHooks.unpackMasked(chart, workDir.resolve("chart"));
            TemplateCommand template = new Helm(unpacked).template()
                    .withName(releaseName)
                    .withNamespace(namespace)
                    .withKubeVersion(kubeVersion)
                    .withValuesFile(valuesFile)
                    .skipCrds();
            List<Map<String, Object>> objects = new ArrayList<>(crds.includes() ? crds.mark(ChartCrds.read(chart)) : List.of());
            objects.addAll(ChartHooks.restore(YamlDocuments.objects(template.call(), "helm template of " + chart.getFileName())));
            return objects;
        } catch (IOException e) {
            throw new BuildException("cannot write values for " + chart.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BuildException("helm template of " + chart.getFileName() + " failed: " + e.getMessage(), e);
        } finally {
            WorkDirs.delete(workDir);
        }
    }
}
