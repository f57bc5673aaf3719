package io.sluice.source.helm;

import io.sluice.contracts.version.Version;
import io.sluice.source.version.VersionConstraint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A chart repository's index.yaml, and the version choice Helm and Flux make from it: the highest
 * version that satisfies the constraint (an exact version, or a Masterminds/semver range such as
 * {@code 1.x}, {@code >=1.0.0 <2.0.0}, {@code ^1.2}, {@code ~1.2}; {@code *} when none is given).
 * Pre-releases are chosen only when the constraint names one.
 */
public final class ChartIndex {
    private final Map<String, List<ChartVersion>> entries;

    private ChartIndex(Map<String, List<ChartVersion>> entries) {
        this.entries = entries;
    }

    @SuppressWarnings("unchecked")
    public static ChartIndex parse(String indexYaml) {
        Object loaded =
                new Load(LoadSettings.builder().setLabel("index.yaml").build())
                        .loadFromString(indexYaml);
        Map<String, Object> index =
                loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, List<ChartVersion>> entries = new java.util.HashMap<>();
        Map<String, Object> raw =
                index.get("entries") instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
        raw.forEach(
                (name, versions) -> {
                    List<ChartVersion> list = new ArrayList<>();
                    if (versions instanceof List<?> items) {
                        for (Object item : items) {
                            if (item instanceof Map<?, ?> v && v.get("version") != null) {
                                List<String> urls =
                                        v.get("urls") instanceof List<?> u
                                                ? u.stream().map(String::valueOf).toList()
                                                : List.of();
                                list.add(
                                        new ChartVersion(
                                                name,
                                                String.valueOf(v.get("version")),
                                                urls,
                                                v.get("digest") == null
                                                        ? null
                                                        : String.valueOf(v.get("digest")),
                                                created(v.get("created"))));
                            }
                        }
                    }
                    entries.put(name, list);
                });
        return new ChartIndex(entries);
    }

    private static Instant created(Object value) {
        try {
            return value == null
                    ? Instant.EPOCH
                    : OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    public ChartVersion resolve(String chart, String constraint) throws ChartNotFoundException {
        List<ChartVersion> versions = entries.get(chart);
        if (versions == null || versions.isEmpty()) {
            throw new ChartNotFoundException(
                    "chart '" + chart + "' not found in the repository index");
        }
        String wanted = constraint == null || constraint.isBlank() ? "*" : constraint.trim();
        Optional<ChartVersion> exact =
                versions.stream().filter(v -> v.version().equals(wanted)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        VersionConstraint range;
        try {
            range = VersionConstraint.parse(wanted);
        } catch (IllegalArgumentException e) {
            throw new ChartNotFoundException(
                    "invalid chart version constraint '" + wanted + "': " + e.getMessage());
        }
        // of equal versions (differing in build metadata), the one packaged last, as Flux orders
        // them
        Comparator<ChartVersion> byVersion =
                Comparator.<ChartVersion, Version>comparing(
                                v -> Version.parse(v.version()).orElseThrow())
                        .thenComparing(ChartVersion::created);
        // as source-controller (fluxcd/pkg/version): only three-part versions are candidates
        return versions.stream()
                .filter(v -> v.version().split("\\.", 3).length == 3)
                .filter(v -> Version.parse(v.version()).filter(range::check).isPresent())
                .max(byVersion)
                .orElseThrow(
                        () ->
                                new ChartNotFoundException(
                                        "no '"
                                                + chart
                                                + "' chart with version matching '"
                                                + wanted
                                                + "' found"));
    }
}
