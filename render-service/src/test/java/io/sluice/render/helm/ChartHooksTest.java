package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.render.build.YamlDocuments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartHooksTest {
    @Test
    void masksAreNamedBackHooksGoLastAndTestHooksAreDropped() throws Exception {
        List<Map<String, Object>> rendered = YamlDocuments.objects("""
                apiVersion: v1
                kind: Job
                metadata: {name: migrate, annotations: {hook.sluice.io/masked: pre-install, hook.sluice.io/masked-weight: "-5"}}
                ---
                apiVersion: v1
                kind: Deployment
                metadata: {name: app}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: smoke, annotations: {hook.sluice.io/masked: test}}
                ---
                apiVersion: v1
                kind: Job
                metadata: {name: from-values, annotations: {helm.sh/hook: post-install}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app, annotations: {other: kept}}
                """, "test");

        List<Map<String, Object>> restored = ChartHooks.restore(rendered);

        assertThat(restored.stream().map(o -> String.valueOf(((Map<?, ?>) o.get("metadata")).get("name"))).toList())
                .containsExactly("app", "app", "migrate", "from-values");
        assertThat(((Map<?, ?>) restored.get(2).get("metadata")).get("annotations"))
                .isEqualTo(Map.of("helm.sh/hook", "pre-install", "helm.sh/hook-weight", "-5"));
    }
}
