package io.sluice.contracts.meta;

import io.fabric8.kubernetes.client.CustomResource;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.notification.Alert;
import io.sluice.contracts.notification.Provider;
import io.sluice.contracts.notification.Receiver;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.contracts.source.OCIRepository;
import java.util.List;

/**
 * The Flux kinds Sluice serves, each at the version it reads and writes (Flux's storage version).
 */
public final class FluxResources {
    public static final List<Class<? extends CustomResource<?, ?>>> SERVED =
            List.of(
                    GitRepository.class,
                    OCIRepository.class,
                    HelmRepository.class,
                    HelmChart.class,
                    Kustomization.class,
                    HelmRelease.class,
                    Receiver.class,
                    Provider.class,
                    Alert.class);

    private FluxResources() {}
}
