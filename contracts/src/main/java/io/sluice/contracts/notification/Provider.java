package io.sluice.contracts.notification;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's Provider, {@code notification.toolkit.fluxcd.io/v1beta3}: where the events of the Alerts
 * that name it are sent (Slack, a webhook, a commit status, …). It has no status, as in Flux.
 */
@Group("notification.toolkit.fluxcd.io")
@Version("v1beta3")
@Kind("Provider")
@Plural("providers")
public class Provider extends CustomResource<ProviderSpec, Void> implements Namespaced {
    public static final String KIND = "Provider";
}
