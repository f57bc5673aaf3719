package io.sluice.source.helm;

import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Talks to an HTTP chart repository as Helm does: reads its index.yaml, and downloads a chart
 * archive (a relative URL in the index is relative to the repository URL) into the artifact store,
 * checking the digest the index gives.
 */
public final class ChartRepositoryClient {
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
    private final String authorization;

    /**
     * {@code username}/{@code password} from the HelmRepository's secretRef, or nulls for an open
     * repository.
     */
    public ChartRepositoryClient(String username, String password) {
        this.authorization =
                username == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (username + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
    }

    public ChartIndex index(String repositoryUrl) throws IOException, InterruptedException {
        return ChartIndex.parse(new String(indexYaml(repositoryUrl), StandardCharsets.UTF_8));
    }

    /**
     * The repository's index.yaml as served: its bytes are what a HelmRepository's revision
     * digests.
     */
    public byte[] indexYaml(String repositoryUrl) throws IOException, InterruptedException {
        URI uri = URI.create(base(repositoryUrl) + "index.yaml");
        try (InputStream body = get(uri)) {
            return body.readAllBytes();
        }
    }

    public StoredArtifact download(String repositoryUrl, ChartVersion chart, ArtifactStore store)
            throws IOException, InterruptedException {
        if (chart.urls().isEmpty()) {
            throw new IOException(
                    "chart '" + chart.name() + "' " + chart.version() + " has no URL in the index");
        }
        URI uri = URI.create(base(repositoryUrl)).resolve(chart.urls().get(0));
        try (InputStream body = get(uri)) {
            StoredArtifact stored = store.store(body::transferTo);
            if (chart.digest() != null
                    && !chart.digest().isEmpty()
                    && !stored.digest().equals("sha256:" + chart.digest())) {
                throw new IOException(
                        "chart "
                                + redacted(uri.toString())
                                + " has digest "
                                + stored.digest()
                                + ", the index says sha256:"
                                + chart.digest());
            }
            return stored;
        }
    }

    private InputStream get(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(
                    "GET " + redacted(uri.toString()) + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The URL without its user info: a credential in a URL never reaches a status or a log. */
    static String redacted(String url) {
        return url.replaceFirst("//[^/@]*@", "//xxxxx@");
    }

    private static String base(String repositoryUrl) {
        return repositoryUrl.endsWith("/") ? repositoryUrl : repositoryUrl + "/";
    }
}
