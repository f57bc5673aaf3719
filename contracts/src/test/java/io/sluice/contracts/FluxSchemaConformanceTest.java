package io.sluice.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.contracts.meta.FluxResources;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sluice installs Flux's own CRDs (deploy/crds/fetch), so the API server keeps exactly what Flux's
 * schema declares and prunes the rest. This checks the other direction: every field Sluice's
 * classes read or write exists in Flux's schema of the served version, with a compatible type; a
 * field that does not would be silently dropped by the API server.
 */
class FluxSchemaConformanceTest {
    private static final ObjectMapper JSON = Serialization.jsonMapper();
    private static Path crds;

    @BeforeAll
    static void fetchFluxCrds() throws Exception {
        Process fetch =
                new ProcessBuilder(Path.of("../deploy/crds/fetch").toAbsolutePath().toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String dir;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(fetch.getInputStream(), StandardCharsets.UTF_8))) {
            dir = out.readLine();
        }
        assertThat(fetch.waitFor()).as("deploy/crds/fetch").isZero();
        crds = Path.of(dir);
    }

    @ParameterizedTest
    @MethodSource("served")
    void everyFieldSluiceUsesIsInFluxSchema(Class<? extends CustomResource<?, ?>> type)
            throws Exception {
        CustomResourceDefinition crd = crd(type);
        CustomResourceDefinitionVersion served = served(crd, type);
        assertThat(served.getStorage())
                .as("Sluice reads and writes Flux's storage version")
                .isTrue();
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(HasMetadata.getKind(type));

        ParameterizedType parts = (ParameterizedType) type.getGenericSuperclass();
        JSONSchemaProps root = served.getSchema().getOpenAPIV3Schema();
        List<String> differences = new ArrayList<>();
        compare(
                JSON.constructType(parts.getActualTypeArguments()[0]),
                root.getProperties().get("spec"),
                ".spec",
                differences);
        if (parts.getActualTypeArguments()[1] == Void.class) {
            assertThat(root.getProperties())
                    .as("a kind without status in Sluice")
                    .doesNotContainKey("status");
        } else {
            compare(
                    JSON.constructType(parts.getActualTypeArguments()[1]),
                    root.getProperties().get("status"),
                    ".status",
                    differences);
        }
        assertThat(differences)
                .as(
                        type.getSimpleName()
                                + " fields missing from or typed differently in Flux's schema")
                .isEmpty();
    }

    /**
     * The other direction: an object holding every field of Flux's schema (Sluice does not model
     * them all) is read without error. A field Sluice's classes refused would stop the informers of
     * its kind in every service.
     */
    @ParameterizedTest
    @MethodSource("served")
    void everyObjectFluxAcceptsIsReadBySluice(Class<? extends CustomResource<?, ?>> type)
            throws Exception {
        JSONSchemaProps root = served(crd(type), type).getSchema().getOpenAPIV3Schema();
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", HasMetadata.getApiVersion(type))
                .put("kind", HasMetadata.getKind(type));
        object.putObject("metadata").put("name", "every-field").put("namespace", "flux-system");
        object.set("spec", sample(root.getProperties().get("spec")));
        boolean hasStatus = root.getProperties().containsKey("status");
        if (hasStatus) {
            object.set("status", sample(root.getProperties().get("status")));
        }

        CustomResource<?, ?> read = JSON.treeToValue(object, type);
        assertThat(read.getSpec()).isNotNull();
        assertThat(read.getStatus() != null).isEqualTo(hasStatus);
    }

    static Stream<Class<? extends CustomResource<?, ?>>> served() {
        return FluxResources.SERVED.stream();
    }

    /** A value for every property the schema declares, of the declared type. */
    private static JsonNode sample(JSONSchemaProps schema) {
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(0);
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            return JSON.getNodeFactory().numberNode(1);
        }
        String type = schema.getType() == null ? "object" : schema.getType();
        return switch (type) {
            case "string" ->
                    JSON.getNodeFactory()
                            .textNode(
                                    "date-time".equals(schema.getFormat())
                                            ? "2026-11-28T00:00:00Z"
                                            : "1m");
            case "integer" -> JSON.getNodeFactory().numberNode(1);
            case "number" -> JSON.getNodeFactory().numberNode(1.5);
            case "boolean" -> JSON.getNodeFactory().booleanNode(true);
            case "array" ->
                    JSON.createArrayNode()
                            .add(
                                    schema.getItems() == null
                                                    || schema.getItems().getSchema() == null
                                            ? JSON.getNodeFactory().textNode("x")
                                            : sample(schema.getItems().getSchema()));
            default -> {
                ObjectNode node = JSON.createObjectNode();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((name, child) -> node.set(name, sample(child)));
                } else if (schema.getAdditionalProperties() != null
                        && schema.getAdditionalProperties().getSchema() != null) {
                    node.set("key", sample(schema.getAdditionalProperties().getSchema()));
                } else {
                    node.put("anything", "kept");
                }
                yield node;
            }
        };
    }

    private static void compare(
            JavaType type, JSONSchemaProps schema, String path, List<String> differences) {
        if (schema == null) {
            differences.add(path + ": not in Flux's schema");
            return;
        }
        Class<?> raw = type.getRawClass();
        if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            return;
        }
        String expected = expectedType(type);
        if (schema.getType() != null && !schema.getType().equals(expected)) {
            differences.add(path + ": Sluice has " + expected + ", Flux has " + schema.getType());
            return;
        }
        if (type.isCollectionLikeType()) {
            compare(
                    type.getContentType(),
                    schema.getItems() == null ? null : schema.getItems().getSchema(),
                    path + "[]",
                    differences);
        } else if (type.isMapLikeType()) {
            if (schema.getAdditionalProperties() != null
                    && schema.getAdditionalProperties().getSchema() != null) {
                compare(
                        type.getContentType(),
                        schema.getAdditionalProperties().getSchema(),
                        path + "{}",
                        differences);
            } else if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
                differences.add(path + ": a map in Sluice, fixed properties in Flux's schema");
            }
        } else if ("object".equals(expected)) {
            for (BeanPropertyDefinition property :
                    JSON.getSerializationConfig().introspect(type).findProperties()) {
                Map<String, JSONSchemaProps> properties =
                        schema.getProperties() == null ? Map.of() : schema.getProperties();
                JSONSchemaProps child = properties.get(property.getName());
                if (child == null
                        && Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
                    continue;
                }
                compare(
                        property.getPrimaryType(),
                        child,
                        path + "." + property.getName(),
                        differences);
            }
        }
    }

    private static String expectedType(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class || raw.isEnum()) {
            return "string";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "boolean";
        }
        if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
            return "integer";
        }
        if (Number.class.isAssignableFrom(raw)) {
            return "number";
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            return "array";
        }
        return "object";
    }

    private static CustomResourceDefinition crd(Class<?> type) throws Exception {
        return load(HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type));
    }

    /** The CRD's version that Sluice's class is of. */
    private static CustomResourceDefinitionVersion served(
            CustomResourceDefinition crd, Class<?> type) {
        return crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(HasMetadata.getVersion(type)))
                .findFirst()
                .orElseThrow();
    }

    private static CustomResourceDefinition load(String name) throws Exception {
        try (var files = Files.list(crds)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd =
                            Serialization.unmarshal(in, CustomResourceDefinition.class);
                    if (name.equals(crd.getMetadata().getName())) {
                        return crd;
                    }
                }
            }
        }
        throw new AssertionError("Flux's CRD " + name + " is not in " + crds);
    }
}
