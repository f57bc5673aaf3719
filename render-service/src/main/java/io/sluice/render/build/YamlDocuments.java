package io.sluice.render.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses a multi-document YAML stream into Kubernetes objects; a syntax error names the file and
 * line.
 */
public final class YamlDocuments {
    private YamlDocuments() {}

    /**
     * Documents that are Kubernetes objects (have apiVersion and kind); others are skipped, as Flux
     * skips them.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(String yaml, String source)
            throws BuildException {
        List<Map<String, Object>> objects = new ArrayList<>();
        try {
            for (Object doc :
                    new Load(LoadSettings.builder().setLabel(source).build())
                            .loadAllFromString(yaml)) {
                if (doc instanceof Map<?, ?> map
                        && map.get("apiVersion") instanceof String
                        && map.get("kind") instanceof String) {
                    objects.add((Map<String, Object>) map);
                }
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new BuildException(source + ": line " + line + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new BuildException(source + ": " + e.getMessage());
        }
        return objects;
    }

    /**
     * As Kubernetes clients read YAML (sigs.k8s.io/yaml, YAML 1.1): {@code 0644} is octal 420,
     * {@code on}/{@code yes} are booleans; a date stays a string. Helm's output is read this way by
     * helm-controller's kube client, so a chart's {@code defaultMode: 0644} means what it means
     * there.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objectsAsKubernetesReadsThem(String yaml, String source)
            throws BuildException {
        List<Map<String, Object>> objects = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        try {
            Yaml parser =
                    new Yaml(
                            new SafeConstructor(options),
                            new Representer(new DumperOptions()),
                            new DumperOptions(),
                            options,
                            new WithoutTimestamps());
            for (Object doc : parser.loadAll(yaml)) {
                if (doc instanceof Map<?, ?> map
                        && map.get("apiVersion") instanceof String
                        && map.get("kind") instanceof String) {
                    objects.add((Map<String, Object>) map);
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new BuildException(source + ": line " + line + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new BuildException(source + ": " + e.getMessage());
        }
        return objects;
    }

    /** YAML 1.1's implicit types but timestamps, which Kubernetes objects carry as strings. */
    private static final class WithoutTimestamps extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
