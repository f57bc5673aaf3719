package io.sluice.health.notify;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.contracts.source.OCIRepository;
import java.util.Map;
import java.util.Optional;

/** The kinds whose events Sluice forwards, with the API version and the Flux controller of each. */
final class FluxKinds {
    record Kind(String apiVersion, String controller) {}

    private static final Map<String, Kind> KINDS =
            Map.of(
                    GitRepository.KIND, source(GitRepository.class),
                    OCIRepository.KIND, source(OCIRepository.class),
                    HelmRepository.KIND, source(HelmRepository.class),
                    HelmChart.KIND, source(HelmChart.class),
                    Kustomization.KIND,
                            new Kind(
                                    HasMetadata.getApiVersion(Kustomization.class),
                                    "kustomize-controller"),
                    HelmRelease.KIND,
                            new Kind(
                                    HasMetadata.getApiVersion(HelmRelease.class),
                                    "helm-controller"));

    private FluxKinds() {}

    static Optional<Kind> of(String kind) {
        return Optional.ofNullable(KINDS.get(kind));
    }

    private static Kind source(Class<? extends HasMetadata> type) {
        return new Kind(HasMetadata.getApiVersion(type), "source-controller");
    }
}
