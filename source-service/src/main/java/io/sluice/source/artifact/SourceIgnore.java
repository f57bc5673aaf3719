package io.sluice.source.artifact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * Which files of a commit go into its artifact, as source-controller decides it: the gitignore
 * patterns of every {@code .sourceignore} file (each for the files below its own directory; the
 * root's first, then each directory's before its subdirectories', in name order) and of {@code
 * spec.ignore}; the last pattern that matches a path decides. Git's own files are always excluded;
 * Flux's default exclusions (images, archives, CI files, {@code .sops.yaml}...) apply only when
 * there are no patterns at all. SourceIgnoreOracleTest compares the result with Flux's own code.
 */
public final class SourceIgnore {
    public static final String FILE = ".sourceignore";
    private static final List<String> VCS =
            List.of(".git/", ".gitignore", ".gitmodules", ".gitattributes");
    private static final List<String> DEFAULTS =
            List.of(
                    "*.jpg",
                    "*.jpeg",
                    "*.gif",
                    "*.png",
                    "*.wmv",
                    "*.flv",
                    "*.tar.gz",
                    "*.zip",
                    ".github/",
                    ".circleci/",
                    ".travis.yml",
                    ".gitlab-ci.yml",
                    "appveyor.yml",
                    ".drone.yml",
                    "cloudbuild.yaml",
                    "codeship-services.yml",
                    "codeship-steps.yml",
                    "**/.goreleaser.yml",
                    "**/.sops.yaml",
                    "**/.flux.yaml");

    /** A pattern and the directory (path segments) whose files it applies to. */
    private record Rule(List<String> domain, FastIgnoreRule pattern) {}

    private final List<Rule> rules = new ArrayList<>();

    /**
     * {@code files}: each {@code .sourceignore}'s directory ("" for the root) and content; {@code
     * specIgnore}: the GitRepository's {@code spec.ignore}, or null.
     */
    public SourceIgnore(Map<String, String> files, String specIgnore) {
        List<Rule> found = new ArrayList<>();
        files.entrySet().stream()
                .sorted(
                        (a, b) ->
                                Arrays.compare(
                                        segments(a.getKey()).toArray(String[]::new),
                                        segments(b.getKey()).toArray(String[]::new)))
                .forEach(file -> read(file.getValue(), segments(file.getKey()), found));
        if (specIgnore != null) {
            read(specIgnore, List.of(), found);
        }
        VCS.forEach(p -> rules.add(new Rule(List.of(), new FastIgnoreRule(p))));
        if (found.isEmpty()) {
            DEFAULTS.forEach(p -> rules.add(new Rule(List.of(), new FastIgnoreRule(p))));
        }
        rules.addAll(found);
    }

    /** Whether the file at {@code path} (slash-separated, from the root) is left out. */
    public boolean ignored(String path) {
        List<String> parts = segments(path);
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule rule = rules.get(i);
            if (parts.size() <= rule.domain().size()
                    || !parts.subList(0, rule.domain().size()).equals(rule.domain())) {
                continue;
            }
            String relative = String.join("/", parts.subList(rule.domain().size(), parts.size()));
            if (rule.pattern().isMatch(relative, false, false)) {
                return rule.pattern().getResult();
            }
        }
        return false;
    }

    private static void read(String content, List<String> domain, List<Rule> into) {
        for (String line : content.split("\n")) {
            String pattern = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!pattern.startsWith("#") && !pattern.isBlank()) {
                into.add(new Rule(domain, new FastIgnoreRule(pattern)));
            }
        }
    }

    private static List<String> segments(String path) {
        return path.isEmpty() ? List.of() : List.of(path.split("/"));
    }
}
