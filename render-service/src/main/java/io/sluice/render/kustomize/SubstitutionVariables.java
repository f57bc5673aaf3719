package io.sluice.render.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.render.build.BuildException;
import io.sluice.render.substitute.PostBuildSubstitution;
import io.sluice.render.substitute.SubstitutionException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers a Kustomization's {@code postBuild} variables in Flux's order: each {@code
 * substituteFrom} ConfigMap or Secret (from the Kustomization's namespace; a later one overrides an
 * earlier one; an {@code optional} one may be missing), then the inline {@code substitute} map over
 * them all.
 */
final class SubstitutionVariables {
    private SubstitutionVariables() {}

    static Optional<PostBuildSubstitution> of(KubernetesClient client, Kustomization ks)
            throws BuildException {
        JsonNode postBuild = ks.getSpec().postBuild;
        if (postBuild == null || postBuild.isNull()) {
            return Optional.empty();
        }
        String namespace = ks.getMetadata().getNamespace();
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode reference : postBuild.path("substituteFrom")) {
            String kind = reference.path("kind").asText();
            String name = reference.path("name").asText();
            boolean optional = reference.path("optional").asBoolean(false);
            Map<String, String> data =
                    switch (kind) {
                        case "ConfigMap" -> configMap(client, namespace, name);
                        case "Secret" -> secret(client, namespace, name);
                        default ->
                                throw new BuildException(
                                        "substituteFrom kind '"
                                                + kind
                                                + "' is not supported (ConfigMap or Secret)");
                    };
            if (data == null) {
                if (optional) {
                    continue;
                }
                throw new BuildException(
                        "substitute from '"
                                + kind
                                + "/"
                                + name
                                + "' error: "
                                + kind
                                + " '"
                                + namespace
                                + "/"
                                + name
                                + "' not found");
            }
            data.forEach((key, value) -> variables.put(key, value.replace("\n", "")));
        }
        postBuild
                .path("substitute")
                .fields()
                .forEachRemaining(
                        e -> variables.put(e.getKey(), e.getValue().asText().replace("\n", "")));
        try {
            return Optional.of(new PostBuildSubstitution(variables));
        } catch (SubstitutionException e) {
            throw new BuildException(e.getMessage(), e);
        }
    }

    private static Map<String, String> configMap(
            KubernetesClient client, String namespace, String name) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        return cm == null ? null : cm.getData() == null ? Map.of() : cm.getData();
    }

    private static Map<String, String> secret(
            KubernetesClient client, String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return null;
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach(
                            (k, v) ->
                                    decoded.put(
                                            k,
                                            new String(
                                                    Base64.getDecoder().decode(v),
                                                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return decoded;
    }
}
