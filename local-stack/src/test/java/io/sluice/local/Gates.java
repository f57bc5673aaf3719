package io.sluice.local;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Pods held back by a gate: a pod whose {@code nodeSelector} names {@code <gate>: open} is
 * scheduled (and completed by the stack's fake nodes) only once the nodes carry that label.
 */
final class Gates {
    private Gates() {}

    /**
     * A chart template: the pre-install hook Job {@code name}, whose pod runs once the gate opens.
     */
    static String preInstallJob(String name, String gate) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %s
                  annotations: {helm.sh/hook: pre-install}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      nodeSelector: {%s: open}
                      containers: [{name: migrate, image: busybox}]
                """
                .formatted(name, gate);
    }

    /** Labels every node {@code <gate>: open}. */
    static void open(KubernetesClient client, String gate) {
        client.nodes()
                .list()
                .getItems()
                .forEach(
                        node ->
                                client.nodes()
                                        .withName(node.getMetadata().getName())
                                        .edit(
                                                n -> {
                                                    n.getMetadata().getLabels().put(gate, "open");
                                                    return n;
                                                }));
    }
}
