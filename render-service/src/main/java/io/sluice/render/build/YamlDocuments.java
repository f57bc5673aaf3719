package io.sluice.render.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

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
}
