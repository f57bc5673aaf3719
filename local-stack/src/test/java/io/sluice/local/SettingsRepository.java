package io.sluice.local;

import java.nio.file.Files;

/**
 * A test's own repository holding one ConfigMap ({@code settings} in the test's namespace), applied
 * by Kustomization {@code app} from GitRepository {@code app}: the smallest change that goes from a
 * push to Ready through all four services.
 */
final class SettingsRepository {
    private SettingsRepository() {}

    /**
     * Pushes the ConfigMap with {@code data} (a YAML flow map) and has Kustomization {@code app}
     * apply it; returns the commit.
     */
    static String deploy(LocalStack stack, String ns, String data) throws Exception {
        String url = stack.git().create(ns);
        String sha;
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            sha =
                    repo.write(
                                    "deploy/settings.yaml",
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: "
                                            + ns
                                            + "}\ndata: "
                                            + data
                                            + "\n")
                            .commitAndPush("settings");
        }
        Manifests.apply(stack.client(), Manifests.gitRepository(ns, "app", url, "1h"));
        Manifests.apply(stack.client(), Manifests.kustomization(ns, "app", "app", "./deploy"));
        return sha;
    }
}
