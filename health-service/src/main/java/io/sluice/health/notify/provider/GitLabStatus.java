package io.sluice.health.notify.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.health.notify.CommitStatus;
import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.NotificationException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gitlab}: a commit status through GitLab's v4 API, the project named by the address's path
 * (subgroups allowed), {@code success} or {@code failed}; not sent again when a status of the same
 * name already says the same.
 */
final class GitLabStatus extends CommitStatusNotifier {
    private final URI project;
    private final String statusId;
    private final Map<String, String> headers;

    GitLabStatus(String address, String token, String password, String statusId)
            throws NotificationException {
        super("gitlab", "failed");
        if (statusId == null || statusId.isEmpty()) {
            throw new NotificationException("commit status cannot be empty");
        }
        String credential =
                CommitStatus.credential(token, password, "gitlab token cannot be empty");
        RepositoryAddress parsed = RepositoryAddress.parse(address);
        this.project =
                URI.create(
                        parsed.origin()
                                + "/api/v4/projects/"
                                + URLEncoder.encode(parsed.path(), StandardCharsets.UTF_8)
                                        .replace(".", "%2E")
                                        .replace("+", "%20")
                                + "/");
        this.statusId = statusId;
        this.headers = Map.of("Private-Token", credential);
    }

    @Override
    void create(Delivery delivery, String sha, String state, String description)
            throws NotificationException {
        Map<String, String> status = new LinkedHashMap<>();
        status.put("state", state);
        status.put("name", statusId);
        status.put("description", description);
        delivery.postJson(project.resolve("statuses/" + sha), headers, Payloads.json(status));
    }

    @Override
    boolean alreadySaid(Delivery delivery, String sha, String state, String description)
            throws NotificationException {
        Delivery.Response listed;
        try {
            listed =
                    delivery.get(
                            project.resolve(
                                    "repository/commits/"
                                            + sha
                                            + "/statuses?name="
                                            + URLEncoder.encode(statusId, StandardCharsets.UTF_8)),
                            headers);
        } catch (NotificationException e) {
            throw new NotificationException("unable to list commit status: " + e.getMessage(), e);
        }
        try {
            for (JsonNode existing : Payloads.JSON.readTree(listed.body())) {
                if (sha.equals(existing.path("sha").asText())
                        && state.equals(existing.path("status").asText())
                        && description.equals(existing.path("description").asText())
                        && statusId.equals(existing.path("name").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new NotificationException("unable to list commit status: " + e.getMessage(), e);
        }
    }
}
