package io.sluice.contracts.notification;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's Receiver, {@code notification.toolkit.fluxcd.io/v1}: a webhook that asks the objects it
 * names to reconcile now (a Git push announced by GitHub or GitLab, say).
 */
@Group("notification.toolkit.fluxcd.io")
@Version("v1")
@Kind("Receiver")
@Plural("receivers")
public class Receiver extends CustomResource<ReceiverSpec, ReceiverStatus> implements Namespaced {
    public static final String KIND = "Receiver";
}
