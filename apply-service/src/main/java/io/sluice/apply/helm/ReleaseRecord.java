package io.sluice.apply.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.contracts.events.ChartRelease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One revision of a Helm release in Helm's own JSON (what {@code helm list}, {@code helm history}
 * and {@code helm get manifest} read). The JSON tree is kept whole, so a record that Helm or
 * helm-controller wrote is rewritten with nothing lost when Sluice only changes its status.
 */
public final class ReleaseRecord {
    public static final String DEPLOYED = "deployed";
    public static final String SUPERSEDED = "superseded";
    public static final String FAILED = "failed";
    public static final String UNINSTALLED = "uninstalled";
    public static final String PENDING_INSTALL = "pending-install";
    public static final String PENDING_UPGRADE = "pending-upgrade";
    public static final String PENDING_ROLLBACK = "pending-rollback";

    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode json;

    ReleaseRecord(ObjectNode json) {
        this.json = json;
    }

    /**
     * A new revision of {@code release}: its chart's metadata, its values ({@code config}, what
     * {@code helm get values} prints), its manifest (objects) and its hooks.
     */
    public static ReleaseRecord create(
            ChartRelease release,
            int version,
            String status,
            String description,
            Map<String, Object> config,
            String manifest,
            List<Hook> hooks,
            Instant firstDeployed,
            Instant now) {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", release.name());
        ObjectNode info = json.putObject("info");
        info.put("first_deployed", firstDeployed.toString());
        info.put("last_deployed", now.toString());
        info.put("deleted", "");
        info.put("description", description);
        info.put("status", status);
        ObjectNode metadata = json.putObject("chart").putObject("metadata");
        metadata.put("name", release.chartName());
        metadata.put("version", release.chartVersion());
        if (!release.appVersion().isEmpty()) {
            metadata.put("appVersion", release.appVersion());
        }
        metadata.put("apiVersion", "v2");
        json.set("config", JSON.valueToTree(config));
        json.put("manifest", manifest);
        ArrayNode hookArray = json.putArray("hooks");
        hooks.forEach(h -> hookArray.add(h.toJson()));
        json.put("version", version);
        json.put("namespace", release.namespace());
        return new ReleaseRecord(json);
    }

    /**
     * A copy of an earlier revision as a new one (what a rollback installs): same chart, manifest
     * and hooks.
     */
    public ReleaseRecord copyAs(int version, String status, String description, Instant now) {
        // a new revision is untested, as helm-controller records a rollback
        ObjectNode copy = withoutTestRuns().json.deepCopy();
        copy.put("version", version);
        ObjectNode info = (ObjectNode) copy.get("info");
        info.put("last_deployed", now.toString());
        info.put("status", status);
        info.put("description", description);
        return new ReleaseRecord(copy);
    }

    public ReleaseRecord withStatus(String status, String description, Instant now) {
        ObjectNode copy = json.deepCopy();
        ObjectNode info = copy.with("info");
        info.put("status", status);
        if (description != null) {
            info.put("description", description);
        }
        if (DEPLOYED.equals(status)) {
            info.put("last_deployed", now.toString());
        }
        if (UNINSTALLED.equals(status)) {
            info.put("deleted", now.toString());
        }
        return new ReleaseRecord(copy);
    }

    public String name() {
        return json.path("name").asText();
    }

    public String namespace() {
        return json.path("namespace").asText();
    }

    public int version() {
        return json.path("version").asInt();
    }

    public String status() {
        return json.path("info").path("status").asText();
    }

    public String description() {
        return json.path("info").path("description").asText();
    }

    public Instant firstDeployed() {
        String text = json.path("info").path("first_deployed").asText("");
        return text.isEmpty() ? Instant.now() : Instant.parse(text);
    }

    /** Helm's {@code info.last_deployed}, as stored (RFC 3339). */
    public String lastDeployed() {
        return json.path("info").path("last_deployed").asText("");
    }

    /** Helm's {@code info.deleted}: empty unless the revision was uninstalled. */
    public String deleted() {
        return json.path("info").path("deleted").asText("");
    }

    public String appVersion() {
        return json.path("chart").path("metadata").path("appVersion").asText("");
    }

    /** Helm's {@code config}: the values the revision was released with. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> config() {
        JsonNode config = json.path("config");
        return config.isObject() ? JSON.convertValue(config, Map.class) : Map.of();
    }

    public String manifest() {
        return json.path("manifest").asText("");
    }

    public String chartName() {
        return json.path("chart").path("metadata").path("name").asText();
    }

    public String chartVersion() {
        return json.path("chart").path("metadata").path("version").asText();
    }

    /** {@code name@version}, as helm-controller names a chart in its messages. */
    public String chart() {
        return chartName() + "@" + chartVersion();
    }

    /** {@code namespace/name.vN}, as helm-controller names a release revision in its messages. */
    public String display() {
        return namespace() + "/" + name() + ".v" + version();
    }

    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        for (JsonNode hook : json.path("hooks")) {
            hooks.add(Hook.fromJson(hook));
        }
        return hooks;
    }

    /** A hook's {@code last_run} as Helm records it: times in RFC 3339, empty when never run. */
    public record HookRun(String startedAt, String completedAt, String phase) {
        public static final String RUNNING = "Running";
        public static final String SUCCEEDED = "Succeeded";
        public static final String FAILED = "Failed";
    }

    /** The last runs of the hooks of {@code event}, by hook name, in the stored order. */
    public Map<String, HookRun> lastRuns(String event) {
        Map<String, HookRun> runs = new LinkedHashMap<>();
        for (JsonNode hook : json.path("hooks")) {
            boolean ofEvent = false;
            for (JsonNode e : hook.path("events")) {
                ofEvent |= event.equals(e.asText());
            }
            if (ofEvent) {
                JsonNode run = hook.path("last_run");
                runs.put(
                        hook.path("name").asText(),
                        new HookRun(
                                run.path("started_at").asText(""),
                                run.path("completed_at").asText(""),
                                run.path("phase").asText("")));
            }
        }
        return runs;
    }

    /** This revision with the hook named {@code hook}'s last run replaced, as Helm updates it. */
    public ReleaseRecord withLastRun(String hook, HookRun run) {
        ObjectNode copy = json.deepCopy();
        for (JsonNode node : copy.path("hooks")) {
            if (hook.equals(node.path("name").asText())) {
                ObjectNode lastRun = ((ObjectNode) node).putObject("last_run");
                lastRun.put("started_at", run.startedAt());
                lastRun.put("completed_at", run.completedAt());
                lastRun.put("phase", run.phase());
            }
        }
        return new ReleaseRecord(copy);
    }

    /** This revision with {@code added} hooks stored beside its own, never run. */
    ReleaseRecord withHooks(List<Hook> added) {
        ObjectNode copy = json.deepCopy();
        ArrayNode hooks = copy.withArray("hooks");
        added.forEach(h -> hooks.add(h.toJson()));
        return new ReleaseRecord(copy);
    }

    /**
     * This revision without its test hooks' runs: what helm-controller digests, so that a test run
     * leaves a revision's digest as it was.
     */
    ReleaseRecord withoutTestRuns() {
        ReleaseRecord bare = this;
        for (String hook : lastRuns(Hook.TEST).keySet()) {
            bare = bare.withLastRun(hook, new HookRun("", "", ""));
        }
        return bare;
    }

    ObjectNode json() {
        return json;
    }
}
