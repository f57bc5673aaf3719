package io.sluice.source.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.source.HelmRepository;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The login in a HelmRepository's {@code secretRef} ({@code username}, {@code password}), as Flux
 * reads it.
 */
record HelmRepositoryLogin(String user, String password) {

    /** None without a secretRef; a Secret without the keys is an error naming it. */
    static Optional<HelmRepositoryLogin> of(KubernetesClient client, HelmRepository repository)
            throws ChartNotFoundException {
        if (repository.getSpec().secretRef == null) {
            return Optional.empty();
        }
        String name = repository.getSpec().secretRef.getName();
        Secret secret =
                client.secrets()
                        .inNamespace(repository.getMetadata().getNamespace())
                        .withName(name)
                        .get();
        if (secret == null) {
            throw new ChartNotFoundException(
                    "failed to get authentication secret '"
                            + repository.getMetadata().getNamespace()
                            + "/"
                            + name
                            + "': secrets \""
                            + name
                            + "\" not found");
        }
        if (secret.getData() == null || secret.getData().get("username") == null) {
            throw new ChartNotFoundException(
                    "secret '"
                            + repository.getMetadata().getNamespace()
                            + "/"
                            + name
                            + "' has no 'username' and 'password'");
        }
        return Optional.of(
                new HelmRepositoryLogin(
                        decode(secret.getData().get("username")),
                        decode(secret.getData().get("password"))));
    }

    /** A client of the repository's index and charts with this login, or none. */
    static ChartRepositoryClient client(Optional<HelmRepositoryLogin> login) {
        return login.map(l -> new ChartRepositoryClient(l.user(), l.password()))
                .orElseGet(() -> new ChartRepositoryClient(null, null));
    }

    private static String decode(String base64) {
        return base64 == null
                ? null
                : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
