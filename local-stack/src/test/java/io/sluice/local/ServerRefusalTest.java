package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A write the API server fails with a server error (here: an admission webhook it cannot reach, 500
 * InternalError) ends that owner's attempt at once, with the cause in its status, and is tried
 * again at the owner's retryInterval, as Flux does: the Kubernetes client does not retry it (its
 * default backoff retried a 5xx ten times, about 20 s, holding the owner's lane). The webhook is a
 * socket that counts the connections made to it and closes them: the attempt's one dry run makes
 * one. Another owner beside it is applied meanwhile.
 */
@ExtendWith(LocalStackExtension.class)
class ServerRefusalTest {
    private static final String NS = "server-refusal";
    private static final String OTHER = "server-refusal-other";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void aServerErrorFailsTheAttemptOnceAndSaysWhy() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        AtomicInteger calls = new AtomicInteger();
        try (ServerSocket webhook = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor =
                    new Thread(
                            () -> {
                                while (!webhook.isClosed()) {
                                    try (Socket call = webhook.accept()) {
                                        calls.incrementAndGet();
                                    } catch (IOException closed) {
                                        return;
                                    }
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.namespace(OTHER));
            Manifests.apply(
                    client,
                    """
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingWebhookConfiguration
                    metadata: {name: %1$s}
                    webhooks:
                    - name: refuse.%1$s.sluice.io
                      clientConfig: {url: "https://127.0.0.1:%2$d/validate"}
                      rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}]
                      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: %1$s}}
                      objectSelector: {matchLabels: {refused: "yes"}}
                      failurePolicy: Fail
                      sideEffects: None
                      admissionReviewVersions: [v1]
                      timeoutSeconds: 5
                    """
                            .formatted(NS, webhook.getLocalPort()));
            try {
                String url = stack.git().create(NS);
                try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
                    repo.write("refused/config.yaml", configMap(NS))
                            .write("other/config.yaml", configMap(OTHER))
                            .commitAndPush("two owners");
                }
                Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "1h"));
                for (String name : new String[] {"refused", "other"}) {
                    Manifests.apply(
                            client,
                            """
                            apiVersion: kustomize.toolkit.fluxcd.io/v1
                            kind: Kustomization
                            metadata: {name: %s, namespace: %s}
                            spec:
                              interval: 1h
                              retryInterval: 1h
                              path: ./%s
                              prune: true
                              sourceRef: {kind: GitRepository, name: %s}
                            """
                                    .formatted(name, NS, name, NS));
                }
                await().atMost(DEADLINE)
                        .until(
                                () ->
                                        ready(client, "other", "True") != null
                                                && client.configMaps()
                                                                .inNamespace(OTHER)
                                                                .withName("settings")
                                                                .get()
                                                        != null);
                await().atMost(DEADLINE)
                        .untilAsserted(
                                () ->
                                        assertThat(ready(client, "refused", "False"))
                                                .contains("failed calling webhook"));
                assertThat(calls.get()).as("webhook calls of the one attempt").isEqualTo(1);
                assertThat(client.configMaps().inNamespace(NS).withName("settings").get()).isNull();
            } finally {
                client.admissionRegistration()
                        .v1()
                        .validatingWebhookConfigurations()
                        .withName(NS)
                        .delete();
            }
        }
    }

    /** The Ready message of Kustomization {@code name} when its Ready status is {@code status}. */
    private static String ready(KubernetesClient client, String name, String status) {
        Kustomization k =
                client.resources(Kustomization.class).inNamespace(NS).withName(name).get();
        if (k == null || k.getStatus() == null) {
            return null;
        }
        return Conditions.find(k.getStatus().conditions, Conditions.READY)
                .filter(c -> status.equals(c.getStatus()))
                .map(c -> c.getMessage())
                .orElse(null);
    }

    /** Labelled for the webhook, which leaves the namespace's other ConfigMaps alone. */
    private static String configMap(String namespace) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: "
                + namespace
                + "\n  labels: {refused: \"yes\"}\ndata: {a: \"1\"}\n";
    }
}
