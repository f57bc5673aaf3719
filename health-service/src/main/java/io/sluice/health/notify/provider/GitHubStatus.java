package io.sluice.health.notify.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.health.notify.CommitStatus;
import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.NotificationException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code github}: a commit status on the commit the event is about ({@code success} for info,
 * {@code failure} for an error), context the status ID, description the reason in words. Not sent
 * again when the latest status of that context already says the same. github.com is reached at
 * api.github.com, any other host as GitHub Enterprise under {@code /api/v3/}.
 */
final class GitHubStatus extends CommitStatusNotifier {
    private final URI api;
    private final String repository;
    private final String statusId;
    private final Map<String, String> headers = new LinkedHashMap<>();

    GitHubStatus(String address, String token, String password, String statusId)
            throws NotificationException {
        super("github", "failure");
        if (statusId == null || statusId.isEmpty()) {
            throw new NotificationException("commit status cannot be empty");
        }
        String credential =
                CommitStatus.credential(
                        token,
                        password,
                        "github token or github app details must be specified (Sluice does not take"
                                + " GitHub App keys yet)");
        RepositoryAddress parsed = RepositoryAddress.parse(address);
        this.repository = parsed.path();
        if (repository.split("/").length != 2) {
            throw new NotificationException("invalid repository id: '" + repository + "'");
        }
        this.api = api(parsed);
        this.statusId = statusId;
        headers.put("Authorization", "Bearer " + credential);
        headers.put("Accept", "application/vnd.github.v3+json");
        headers.put("X-GitHub-Api-Version", "2022-11-28");
    }

    private static URI api(RepositoryAddress address) {
        String host = address.host();
        if ("github.com".equals(host)) {
            return URI.create("https://api.github.com/");
        }
        String base = address.origin() + "/";
        String bare = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return bare.startsWith("api.") || bare.contains(".api.")
                ? URI.create(base)
                : URI.create(base + "api/v3/");
    }

    @Override
    void create(Delivery delivery, String sha, String state, String description)
            throws NotificationException {
        Map<String, String> status = new LinkedHashMap<>();
        status.put("state", state);
        status.put("description", description);
        status.put("context", statusId);
        try {
            delivery.postJsonOnce(
                    api.resolve("repos/" + repository + "/statuses/" + sha),
                    headers,
                    Payloads.json(status));
        } catch (NotificationException e) {
            throw new NotificationException("could not create commit status: " + e.getMessage(), e);
        }
    }

    @Override
    boolean alreadySaid(Delivery delivery, String sha, String state, String description)
            throws NotificationException {
        Delivery.Response listed;
        try {
            listed =
                    delivery.get(
                            api.resolve(
                                    "repos/"
                                            + repository
                                            + "/commits/"
                                            + sha
                                            + "/statuses?per_page=50"),
                            headers);
        } catch (NotificationException e) {
            throw new NotificationException("could not list commit statuses: " + e.getMessage(), e);
        }
        try {
            for (JsonNode existing : Payloads.JSON.readTree(listed.body())) {
                if (statusId.equals(existing.path("context").asText())) {
                    return state.equals(existing.path("state").asText())
                            && description.equals(existing.path("description").asText());
                }
            }
            return false;
        } catch (IOException e) {
            throw new NotificationException("could not list commit statuses: " + e.getMessage(), e);
        }
    }
}
