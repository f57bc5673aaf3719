package io.sluice.render.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a packaged chart with the real Helm (helm-java embeds Helm's Go library), as {@code helm template} would
 * (without hooks: helm-java 0.0.21 does not render them):
 * the release name and namespace Flux computes, the merged values, the target cluster's Kubernetes version (charts
 * check it against their {@code kubeVersion}, and templates read it), and the chart's {@code crds/} directory included
 * or not according to the release's CRD policy ({@code Skip} leaves them out).
 */
public final class ChartRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    public List<Map<String, Object>> render(Path chart, String releaseName, String namespace, Map<String, Object> values,
                                            String kubeVersion, boolean includeCrds) throws BuildException {
        Path valuesFile = null;
        try {
            valuesFile = Files.createTempFile("values-", ".json");
            JSON.writeValue(valuesFile.toFile(), values);
            TemplateCommand template = new Helm(chart).template()
                    .withName(releaseName)
                    .withNamespace(namespace)
                    .withKubeVersion(kubeVersion)
                    .withValuesFile(valuesFile)
                    .skipCrds();
            List<Map<String, Object>> objects = new ArrayList<>(includeCrds ? ChartCrds.read(chart) : List.of());
            objects.addAll(YamlDocuments.objects(template.call(), "helm template of " + chart.getFileName()));
            return objects;
        } catch (IOException e) {
            throw new BuildException("cannot write values for " + chart.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BuildException("helm template of " + chart.getFileName() + " failed: " + e.getMessage(), e);
        } finally {
            if (valuesFile != null) {
                valuesFile.toFile().delete();
            }
        }
    }
}
