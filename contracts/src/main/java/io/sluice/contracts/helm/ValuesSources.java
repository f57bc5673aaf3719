package io.sluice.contracts.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a HelmRelease's {@code valuesFrom}: each ConfigMap or Secret key (default {@code
 * values.yaml}) as a YAML document, or, with {@code targetPath}, as one value placed at that dotted
 * path; an {@code optional} source may be missing. Returned in order, ready for {@link
 * HelmValues#merge}.
 */
final class ValuesSources {
    private ValuesSources() {}

    static List<Map<String, Object>> read(
            KubernetesClient client, String namespace, List<ValuesReference> references)
            throws HelmValues.InvalidValues {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ValuesReference reference :
                references == null ? List.<ValuesReference>of() : references) {
            String key =
                    reference.valuesKey == null || reference.valuesKey.isEmpty()
                            ? "values.yaml"
                            : reference.valuesKey;
            String content = content(client, namespace, reference, key);
            if (content == null) {
                if (Boolean.TRUE.equals(reference.optional)) {
                    continue;
                }
                throw new HelmValues.InvalidValues(
                        "could not find "
                                + reference.kind
                                + " '"
                                + namespace
                                + "/"
                                + reference.name
                                + "' with key '"
                                + key
                                + "' for valuesFrom");
            }
            layers.add(layer(namespace, reference, key, content));
        }
        return layers;
    }

    /** One source's values: its document, or, with {@code targetPath}, one value placed there. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> layer(
            String namespace, ValuesReference reference, String key, String content)
            throws HelmValues.InvalidValues {
        if (reference.targetPath != null && !reference.targetPath.isEmpty()) {
            return atPath(reference.targetPath, content);
        }
        String source =
                reference.kind + " '" + namespace + "/" + reference.name + "' key '" + key + "'";
        Object parsed;
        try {
            parsed = new Load(LoadSettings.builder().build()).loadFromString(content);
        } catch (YamlEngineException e) {
            // the parser's own message quotes the offending line, which may be a Secret's value
            String where =
                    e instanceof MarkedYamlEngineException marked
                                    && marked.getProblemMark().isPresent()
                            ? " (line "
                                    + (marked.getProblemMark().get().getLine() + 1)
                                    + ", column "
                                    + (marked.getProblemMark().get().getColumn() + 1)
                                    + ")"
                            : "";
            throw new HelmValues.InvalidValues(source + " is not valid YAML" + where);
        }
        if (parsed != null && !(parsed instanceof Map<?, ?>)) {
            throw new HelmValues.InvalidValues(source + " is not a YAML mapping");
        }
        return parsed == null ? Map.of() : (Map<String, Object>) parsed;
    }

    private static String content(
            KubernetesClient client, String namespace, ValuesReference reference, String key)
            throws HelmValues.InvalidValues {
        return switch (reference.kind) {
            case "ConfigMap" -> {
                ConfigMap cm =
                        client.configMaps().inNamespace(namespace).withName(reference.name).get();
                yield cm == null || cm.getData() == null ? null : cm.getData().get(key);
            }
            case "Secret" -> {
                Secret secret =
                        client.secrets().inNamespace(namespace).withName(reference.name).get();
                String encoded =
                        secret == null || secret.getData() == null
                                ? null
                                : secret.getData().get(key);
                yield encoded == null
                        ? null
                        : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            }
            default ->
                    throw new HelmValues.InvalidValues(
                            "valuesFrom kind '"
                                    + reference.kind
                                    + "' is not supported (ConfigMap or Secret)");
        };
    }

    private static Map<String, Object> atPath(String path, String value) {
        String[] parts = path.split("\\.");
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> current = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            current.put(parts[i], next);
            current = next;
        }
        current.put(parts[parts.length - 1], value);
        return root;
    }
}
