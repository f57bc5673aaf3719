package io.sluice.contracts.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesSourcesTest {
    @Test
    void aDocumentIsTheLayerAndATargetPathPlacesOneValue() throws Exception {
        assertThat(ValuesSources.layer("apps", reference(null), "values.yaml", "a: {b: 1}\n"))
                .isEqualTo(Map.of("a", Map.of("b", 1)));
        assertThat(ValuesSources.layer("apps", reference("db.password"), "pw", "s3cret"))
                .isEqualTo(Map.of("db", Map.of("password", "s3cret")));
    }

    @Test
    void brokenYamlIsNamedWithoutQuotingItsContent() {
        assertThatThrownBy(
                        () ->
                                ValuesSources.layer(
                                        "apps",
                                        reference(null),
                                        "values.yaml",
                                        "password: hunter2-in-clear\n  bad: [indent\n"))
                .isInstanceOf(HelmValues.InvalidValues.class)
                .hasMessageStartingWith(
                        "Secret 'apps/db' key 'values.yaml' is not valid YAML (line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    private static ValuesReference reference(String targetPath) {
        ValuesReference reference = new ValuesReference();
        reference.kind = "Secret";
        reference.name = "db";
        reference.targetPath = targetPath;
        return reference;
    }
}
