package io.sluice.cli;

import io.sluice.contracts.events.ObjectRef;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kustomization/apps}, {@code ks/apps}, {@code hr/podinfo}, {@code
 * gitrepository/flux-system} …: a kind (as the flux CLI names them, any case) and a name.
 */
public final class ObjectArgument {
    private static final Map<String, String> KINDS =
            Map.ofEntries(
                    Map.entry("kustomization", "Kustomization"),
                    Map.entry("ks", "Kustomization"),
                    Map.entry("helmrelease", "HelmRelease"),
                    Map.entry("hr", "HelmRelease"),
                    Map.entry("gitrepository", "GitRepository"),
                    Map.entry("ocirepository", "OCIRepository"),
                    Map.entry("helmrepository", "HelmRepository"),
                    Map.entry("helmchart", "HelmChart"));

    private ObjectArgument() {}

    public static ObjectRef parse(String text, String namespace) {
        String[] parts = text.split("/", 2);
        String kind = parts.length == 2 ? KINDS.get(parts[0].toLowerCase(Locale.ROOT)) : null;
        if (kind == null || parts[1].isEmpty()) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not <kind>/<name> (kinds: kustomization (ks), helmrelease (hr),"
                            + " gitrepository, ocirepository, helmrepository, helmchart)");
        }
        return new ObjectRef(kind, namespace, parts[1]);
    }
}
