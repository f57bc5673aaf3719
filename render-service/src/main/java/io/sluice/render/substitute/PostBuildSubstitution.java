package io.sluice.render.substitute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Flux's {@code postBuild} step: expands {@code ${var}} in each built object's YAML, as kustomize
 * printed it, so quoting and types come out as they do for Flux. An object labelled or annotated
 * {@code kustomize.toolkit.fluxcd.io/substitute: disabled} is left as built. Strict: a variable
 * that is not set and has no default fails the build, naming the object.
 */
public final class PostBuildSubstitution {
    public static final String OPT_OUT = "kustomize.toolkit.fluxcd.io/substitute";
    private static final Pattern VARIABLE_NAME =
            Pattern.compile("^[_\\p{Alpha}][_\\p{Alpha}\\p{Digit}]*$");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

    private final Map<String, String> variables;

    /**
     * Variables as Flux loads them: values lose their newlines, names must be shell-like
     * identifiers.
     */
    public PostBuildSubstitution(Map<String, String> variables) throws SubstitutionException {
        for (String name : variables.keySet()) {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new SubstitutionException(
                        "'"
                                + name
                                + "' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'");
            }
        }
        this.variables = Map.copyOf(variables);
    }

    /** The objects of a multi-document YAML stream, each substituted unless it opts out. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> apply(String yamlStream) throws SubstitutionException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yamlStream)) {
            Object parsed = load(document);
            if (!(parsed instanceof Map<?, ?> object)) {
                continue;
            }
            Map<String, Object> original = (Map<String, Object>) object;
            if (variables.isEmpty() || optedOut(original)) {
                objects.add(original);
                continue;
            }
            try {
                objects.add(
                        (Map<String, Object>)
                                load(
                                        Envsubst.expand(
                                                document,
                                                name -> Optional.ofNullable(variables.get(name)),
                                                true)));
            } catch (SubstitutionException e) {
                throw new SubstitutionException(describe(original) + ": " + e.getMessage());
            }
        }
        return objects;
    }

    private static Object load(String document) {
        return new Load(LoadSettings.builder().build()).loadFromString(document);
    }

    @SuppressWarnings("unchecked")
    private static boolean optedOut(Map<String, Object> object) {
        Map<String, Object> metadata =
                object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return "disabled".equals(field(metadata, "labels"))
                || "disabled".equals(field(metadata, "annotations"));
    }

    private static Object field(Map<String, Object> metadata, String section) {
        return metadata.get(section) instanceof Map<?, ?> values ? values.get(OPT_OUT) : null;
    }

    @SuppressWarnings("unchecked")
    private static String describe(Map<String, Object> object) {
        Map<String, Object> metadata =
                object.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object namespace = metadata.get("namespace");
        return object.get("kind")
                + "/"
                + (namespace == null ? "" : namespace + "/")
                + metadata.get("name");
    }
}
