package io.sluice.apply.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.contracts.meta.ServedKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A release's objects as Helm stores them: one YAML stream, documents separated by {@code ---}. */
final class Manifest {
    /** Strings stay quoted, so "9898" or "true" read back as the strings they were. */
    private static final YAMLMapper YAML =
            new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private Manifest() {}

    static String yaml(List<GenericKubernetesResource> objects) {
        StringBuilder manifest = new StringBuilder();
        for (GenericKubernetesResource object : objects) {
            try {
                manifest.append("---\n# Source: ")
                        .append(object.getKind())
                        .append('/')
                        .append(object.getMetadata().getName())
                        .append('\n')
                        .append(YAML.writeValueAsString(object));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest.toString();
    }

    /**
     * As below, with {@code namespace} given to each object that names none and whose kind is
     * namespaced, as Helm applies them: the scope a CustomResourceDefinition of the same manifest
     * gives, else the cluster's, else namespaced (a kind not served, as the render side judges it).
     */
    static List<GenericKubernetesResource> objects(
            String manifest, String namespace, ServedKinds kinds) {
        List<GenericKubernetesResource> objects = objects(manifest);
        Map<String, Boolean> defined = new HashMap<>();
        for (GenericKubernetesResource object : objects) {
            if ("CustomResourceDefinition".equals(object.getKind())
                    && object.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                    && spec.get("names") instanceof Map<?, ?> names) {
                defined.put(
                        spec.get("group") + "/" + names.get("kind"),
                        "Namespaced".equals(spec.get("scope")));
            }
        }
        for (GenericKubernetesResource object : objects) {
            String own = object.getMetadata().getNamespace();
            if (own != null && !own.isEmpty()) {
                continue;
            }
            String apiVersion = object.getApiVersion();
            String group =
                    apiVersion.contains("/")
                            ? apiVersion.substring(0, apiVersion.indexOf('/'))
                            : "";
            Boolean namespaced = defined.get(group + "/" + object.getKind());
            if (namespaced == null) {
                namespaced = kinds.namespaced(apiVersion, object.getKind()).orElse(true);
            }
            if (namespaced) {
                object.getMetadata().setNamespace(namespace);
            }
        }
        return objects;
    }

    /**
     * The objects of a stored manifest (Helm's own, with its {@code # Source} comments, or
     * Sluice's).
     */
    static List<GenericKubernetesResource> objects(String manifest) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try (MappingIterator<Object> documents =
                YAML.readerFor(Object.class).readValues(manifest)) {
            while (documents.hasNextValue()) {
                Object document = documents.nextValue();
                if (document instanceof Map<?, ?> map && map.get("kind") != null) {
                    objects.add(YAML.convertValue(document, GenericKubernetesResource.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read a stored release manifest: " + e.getMessage(), e);
        }
        return objects;
    }
}
