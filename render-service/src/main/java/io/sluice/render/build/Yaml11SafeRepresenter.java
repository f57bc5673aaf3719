package io.sluice.render.build;

import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * Writes YAML that kustomize reads back unchanged. snakeyaml-engine quotes only what YAML 1.2 would
 * misread, but kustomize converts YAML to JSON with YAML 1.1 rules, where {@code yes}, {@code on},
 * {@code 0x1F} or {@code 1_000} are not strings: such strings are double-quoted.
 */
final class Yaml11SafeRepresenter extends StandardRepresenter {
    private static final Pattern YAML11_NON_STRING =
            Pattern.compile(
                    String.join(
                            "|",
                            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
                            "~|null|Null|NULL|",
                            "[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
                            "[-+]?([0-9][0-9_]*)?\\.[0-9._]*([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)",
                            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"));

    Yaml11SafeRepresenter(DumpSettings settings) {
        super(settings);
        RepresentToNode plain = representers.get(String.class);
        representers.put(
                String.class,
                data ->
                        YAML11_NON_STRING.matcher((String) data).matches()
                                ? representScalar(Tag.STR, (String) data, ScalarStyle.DOUBLE_QUOTED)
                                : plain.representData(data));
    }
}
