package io.sluice.local;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;

/** A Git repository holding one ConfigMap, {@code settings} with {@code data.greeting}, in app/. */
final class OneConfigMapRepository {
    private OneConfigMapRepository() {}

    /** Creates it on the stack's Git server as {@code name}, pushed; returns its URL. */
    static String push(LocalStack stack, String name, String greeting) throws Exception {
        String url = stack.git().create(name);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(name), url)
                        .write("app/settings.yaml", settings(greeting))) {
            repo.commitAndPush("an app");
        }
        return url;
    }

    /** The ConfigMap {@code settings} with {@code data.greeting}, as app/settings.yaml holds it. */
    static String settings(String greeting) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                + "data: {greeting: "
                + greeting
                + "}\n";
    }

    /**
     * The greeting of the ConfigMap {@code settings} in {@code namespace}; null while there is
     * none.
     */
    static String greeting(KubernetesClient client, String namespace) {
        ConfigMap settings = client.configMaps().inNamespace(namespace).withName("settings").get();
        return settings == null ? null : settings.getData().get("greeting");
    }
}
