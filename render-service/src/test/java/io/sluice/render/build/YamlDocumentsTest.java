package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {
    private static final String SECRET_VOLUME =
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, annotations: {built: 2026-11-28}}
            spec:
              hostNetwork: on
              volumes:
              - name: v
                secret: {secretName: s, defaultMode: 0644}
            """;

    @Test
    void asKubernetesReadsItAnOctalModeIsOctalAndOnIsTrue() throws Exception {
        Map<String, Object> pod =
                YamlDocuments.objectsAsKubernetesReadsThem(SECRET_VOLUME, "pod.yaml").get(0);
        Map<?, ?> spec = (Map<?, ?>) pod.get("spec");
        Map<?, ?> secret =
                (Map<?, ?>) ((Map<?, ?>) ((List<?>) spec.get("volumes")).get(0)).get("secret");
        assertThat(((Number) secret.get("defaultMode")).intValue()).isEqualTo(0644).isEqualTo(420);
        assertThat(spec.get("hostNetwork")).isEqualTo(true);
        assertThat(((Map<?, ?>) ((Map<?, ?>) pod.get("metadata")).get("annotations")).get("built"))
                .isEqualTo("2026-11-28");
    }

    @Test
    void aSyntaxErrorNamesTheSourceAndLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                YamlDocuments.objectsAsKubernetesReadsThem(
                                        "a: [b\nc: d\n", "chart.yaml"))
                .isInstanceOf(BuildException.class)
                .hasMessageStartingWith("chart.yaml: line");
    }
}
