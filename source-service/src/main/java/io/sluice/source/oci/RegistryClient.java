package io.sluice.source.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * One repository of an OCI registry, read over the distribution API as go-containerregistry reads
 * it for source-controller: HTTPS (or HTTP where Flux allows it), Basic or Bearer auth answering
 * the registry's challenge, manifests by tag or digest (checked against it), tag lists page by
 * page, blobs. Errors read as go-containerregistry's.
 */
final class RegistryClient {
    static final String MANIFEST_TYPES =
            "application/vnd.docker.distribution.manifest.v1+json,"
                    + "application/vnd.docker.distribution.manifest.v1+prettyjws,"
                    + "application/vnd.docker.distribution.manifest.v2+json,"
                    + "application/vnd.oci.image.manifest.v1+json,"
                    + "application/vnd.oci.image.index.v1+json,"
                    + "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern NEXT_PAGE = Pattern.compile("<([^>]+)>");
    private static final java.util.Set<Integer> REDIRECTS =
            java.util.Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    /**
     * One client for every registry: each request carries its own timeout. Redirects are followed
     * here, not by the client, so that the registry's credentials never go to another host.
     */
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final OciUrl url;
    private final Optional<String> credentials;
    private final boolean insecure;
    private final Duration timeout;
    private String base;
    private String authorization;

    /** {@code credentials}: {@code user:password}, when the registry wants them. */
    RegistryClient(OciUrl url, Optional<String> credentials, boolean insecure, Duration timeout) {
        this.url = url;
        this.credentials = credentials;
        this.insecure = insecure;
        this.timeout = timeout;
    }

    /** The digest of the manifest {@code reference} (a tag or a digest) names. */
    String digestOf(String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> head = send("HEAD", manifestPath(reference), MANIFEST_TYPES);
        Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
        if (head.statusCode() == 200 && digest.isPresent()) {
            return digest.get();
        }
        // as go-containerregistry: any trouble with HEAD, and the manifest is read instead
        return sha256(manifestBytes(reference));
    }

    /** The manifest of {@code digest}, checked against it. */
    JsonNode manifest(String digest) throws IOException, InterruptedException {
        byte[] body = manifestBytes(digest);
        String got = sha256(body);
        if (!got.equals(digest)) {
            throw new RegistryError(
                    "manifest digest: \""
                            + got
                            + "\" does not match requested digest: \""
                            + digest
                            + "\" for \""
                            + url.named(digest)
                            + "\"");
        }
        return JSON.readTree(body);
    }

    /** Every tag of the repository, following the registry's pages. */
    List<String> tags() throws IOException, InterruptedException {
        List<String> tags = new ArrayList<>();
        String path = "/v2/" + url.repository() + "/tags/list?n=1000";
        while (path != null) {
            HttpResponse<byte[]> response = send("GET", path, "application/json");
            failUnlessOk(response);
            JSON.readTree(response.body()).path("tags").forEach(t -> tags.add(t.asText()));
            path =
                    response.headers()
                            .firstValue("Link")
                            .map(NEXT_PAGE::matcher)
                            .filter(Matcher::find)
                            .map(m -> m.group(1))
                            .orElse(null);
        }
        return tags;
    }

    /** Downloads the blob {@code digest} to {@code target}, checking its digest. */
    void download(String digest, Path target) throws IOException, InterruptedException {
        HttpResponse<Path> response =
                send(
                        "GET",
                        "/v2/" + url.repository() + "/blobs/" + digest,
                        "*/*",
                        HttpResponse.BodyHandlers.ofFile(target));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(target);
            throw new RegistryError(
                    "GET " + response.uri() + ": unexpected status code " + response.statusCode());
        }
        String got = sha256(target);
        if (!got.equals(digest)) {
            throw new RegistryError(
                    "blob " + digest + " does not match its content's digest " + got);
        }
    }

    private byte[] manifestBytes(String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send("GET", manifestPath(reference), MANIFEST_TYPES);
        failUnlessOk(response);
        return response.body();
    }

    private String manifestPath(String reference) {
        return "/v2/" + url.repository() + "/manifests/" + reference;
    }

    private HttpResponse<byte[]> send(String method, String path, String accept)
            throws IOException, InterruptedException {
        return send(method, path, accept, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends a request; a challenge is answered once, and its answer kept for what follows. */
    private <T> HttpResponse<T> send(
            String method, String path, String accept, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        URI uri = URI.create(base() + path);
        HttpResponse<T> response = follow(method, uri, accept, body);
        if (response.statusCode() == 401 && authorization == null) {
            Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
            if (challenge.isPresent()) {
                authorization = answer(challenge.get());
                if (authorization != null) {
                    response = follow(method, uri, accept, body);
                }
            }
        }
        return response;
    }

    /** Sends a request and follows its redirects (a blob may be served from object storage). */
    private <T> HttpResponse<T> follow(
            String method, URI uri, String accept, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        for (int hops = 0; ; hops++) {
            HttpResponse<T> response = HTTP.send(request(method, uri, accept), body);
            Optional<String> location = response.headers().firstValue("Location");
            if (hops == MAX_REDIRECTS
                    || location.isEmpty()
                    || !REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            uri = uri.resolve(location.get());
        }
    }

    /** A request; the registry's Authorization only when it goes to the registry itself. */
    private HttpRequest request(String method, URI uri, String accept) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Accept", accept)
                        .header("User-Agent", "sluice")
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null && url.host().equals(uri.getRawAuthority())) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    /**
     * {@code https://host}, or {@code http://host} for an insecure registry, or for a loopback or
     * private one that does not speak TLS (as go-containerregistry tries both).
     */
    private String base() throws IOException, InterruptedException {
        if (base != null) {
            return base;
        }
        if (insecure) {
            return base = "http://" + url.host();
        }
        String https = "https://" + url.host();
        if (!url.mayBePlainHttp()) {
            return base = https;
        }
        try {
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(https + "/v2/")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding());
            return base = https;
        } catch (SSLException e) {
            return base = "http://" + url.host();
        }
    }

    /** The Authorization header that answers a challenge; null when there is none to give. */
    private String answer(String challenge) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(2));
        }
        String scheme = challenge.trim().split("\\s+", 2)[0].toLowerCase();
        if (scheme.equals("basic")) {
            return credentials.map(c -> "Basic " + base64(c)).orElse(null);
        }
        if (!scheme.equals("bearer") || !params.containsKey("realm")) {
            return null;
        }
        String scope = params.getOrDefault("scope", "repository:" + url.repository() + ":pull");
        String tokenUrl =
                params.get("realm")
                        + "?scope="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                        + (params.containsKey("service")
                                ? "&service="
                                        + URLEncoder.encode(
                                                params.get("service"), StandardCharsets.UTF_8)
                                : "");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(timeout).GET();
        credentials.ifPresent(c -> request.header("Authorization", "Basic " + base64(c)));
        HttpResponse<byte[]> response =
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        failUnlessOk(response);
        JsonNode token = JSON.readTree(response.body());
        String value =
                token.hasNonNull("token")
                        ? token.get("token").asText()
                        : token.path("access_token").asText();
        return "Bearer " + value;
    }

    /** As go-containerregistry's transport.Error: method, URL, then the registry's errors. */
    private static void failUnlessOk(HttpResponse<byte[]> response) throws RegistryError {
        if (response.statusCode() == 200) {
            return;
        }
        String prefix = response.request().method() + " " + response.uri() + ": ";
        List<String> errors = new ArrayList<>();
        try {
            for (JsonNode error : JSON.readTree(response.body()).path("errors")) {
                String text = error.path("code").asText() + ": " + error.path("message").asText();
                if (error.has("detail") && !error.get("detail").isNull()) {
                    text += "; " + goValue(error.get("detail"));
                }
                errors.add(text);
            }
        } catch (IOException e) {
            // no error document: the status code says it
        }
        if (errors.isEmpty()) {
            throw new RegistryError(prefix + "unexpected status code " + response.statusCode());
        }
        throw new RegistryError(
                prefix
                        + (errors.size() == 1
                                ? errors.get(0)
                                : "multiple errors returned: " + String.join("; ", errors)));
    }

    /** A JSON value as Go's {@code %v} prints what it decodes to. */
    static String goValue(JsonNode value) {
        if (value.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            value.fields().forEachRemaining(e -> sorted.put(e.getKey(), goValue(e.getValue())));
            List<String> pairs = new ArrayList<>();
            sorted.forEach((k, v) -> pairs.add(k + ":" + v));
            return "map[" + String.join(" ", pairs) + "]";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(goValue(v)));
            return "[" + String.join(" ", items) + "]";
        }
        return value.isNull() ? "<nil>" : value.asText();
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (java.security.DigestInputStream in =
                new java.security.DigestInputStream(
                        Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return "sha256:" + HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
