package io.sluice.render.substitute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostBuildSubstitutionTest {
    private static final String BUILT =
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: apps
            data:
              enabled: "${FLAG}"
              region: ${REGION:=eu-west-1}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: apps
            spec:
              replicas: ${REPLICAS}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: script
              namespace: apps
              annotations:
                kustomize.toolkit.fluxcd.io/substitute: disabled
            data:
              run.sh: echo ${HOME}
            """;

    @Test
    void substitutesWithTheTypesTheYamlGives() throws Exception {
        List<Map<String, Object>> objects =
                new PostBuildSubstitution(Map.of("FLAG", "true", "REPLICAS", "3")).apply(BUILT);
        assertThat(objects.get(0).get("data"))
                .isEqualTo(Map.of("enabled", "true", "region", "eu-west-1"));
        assertThat(objects.get(1).get("spec")).isEqualTo(Map.of("replicas", 3));
    }

    @Test
    void anObjectThatOptsOutIsLeftAsBuilt() throws Exception {
        List<Map<String, Object>> objects =
                new PostBuildSubstitution(Map.of("FLAG", "true", "REPLICAS", "3")).apply(BUILT);
        assertThat(objects.get(2).get("data")).isEqualTo(Map.of("run.sh", "echo ${HOME}"));
    }

    @Test
    void anUnsetVariableWithoutDefaultFailsNamingTheObject() {
        assertThatThrownBy(() -> new PostBuildSubstitution(Map.of("FLAG", "true")).apply(BUILT))
                .isInstanceOf(SubstitutionException.class)
                .hasMessage("Deployment/apps/web: variable not set (strict mode): \"REPLICAS\"");
    }

    @Test
    void withoutVariablesNothingIsSubstituted() throws Exception {
        List<Map<String, Object>> objects = new PostBuildSubstitution(Map.of()).apply(BUILT);
        assertThat(objects.get(1).get("spec")).isEqualTo(Map.of("replicas", "${REPLICAS}"));
    }

    @Test
    void variableNamesMustBeIdentifiers() {
        assertThatThrownBy(() -> new PostBuildSubstitution(Map.of("bad-name", "x")))
                .hasMessageStartingWith("'bad-name' var name is invalid");
    }
}
