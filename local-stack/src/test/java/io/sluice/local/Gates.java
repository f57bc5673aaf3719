package io.sluice.local;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Pods held back by a gate: a pod whose {@code nodeSelector} names {@code <gate>: open} is
 * scheduled (and completed by the stack's fake nodes) only once the nodes carry that label.
 */
final class Gates {
    private Gates() {}

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
