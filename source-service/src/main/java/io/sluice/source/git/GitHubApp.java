package io.sluice.source.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.meta.Reasons;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A GitRepository's {@code provider: github}: a GitHub App installation token, as source-controller
 * gets one (fluxcd/pkg's githubapp): a JWT signed with the App's private key (RS256, issued 30 s
 * back, valid two minutes, issuer the App ID) buys an installation token from {@code POST
 * <api>/app/installations/<id>/access_tokens} (the installation found by owner when only {@code
 * githubAppInstallationOwner} is given: the organisation's, else the user's), which fetches over
 * HTTPS as the basic-auth password of {@code x-access-token}. Tokens are reused until 80% of their
 * lifetime has passed, as Flux's token cache reuses them. Errors use Flux's words and never carry
 * the key or a token.
 */
final class GitHubApp {
    static final String APP_ID = "githubAppID";
    static final String INSTALLATION_OWNER = "githubAppInstallationOwner";
    static final String INSTALLATION_ID = "githubAppInstallationID";
    static final String PRIVATE_KEY = "githubAppPrivateKey";
    static final String BASE_URL = "githubAppBaseURL";
    static final String USERNAME = "x-access-token";

    private static final String DEFAULT_API = "https://api.github.com/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Map<String, Token> TOKENS = new ConcurrentHashMap<>();

    private record Token(String value, Instant renewAt) {}

    private GitHubApp() {}

    /** Whether a Secret's data names a GitHub App (source-controller looks at its App ID). */
    static boolean hasAppData(Map<String, String> data) {
        return !text(data, APP_ID).isEmpty();
    }

    /** The installation token for the App of {@code data} (a Secret's base64 data). */
    static String token(Map<String, String> data) throws GitFetchException {
        try {
            long appId = number(data, APP_ID);
            long installationId = number(data, INSTALLATION_ID);
            String owner = text(data, INSTALLATION_OWNER);
            String pem = text(data, PRIVATE_KEY);
            if (appId == 0) {
                throw new Refused("app ID must be provided to use github app authentication");
            }
            if (owner.isEmpty() && installationId == 0) {
                throw new Refused(
                        "app installation owner or ID must be provided to use github app"
                                + " authentication");
            }
            if (!owner.isEmpty() && installationId != 0) {
                throw new Refused(
                        "only one of app installation owner or ID must be provided to use github"
                                + " app authentication");
            }
            if (pem.isEmpty()) {
                throw new Refused("private key must be provided to use github app authentication");
            }
            String api = text(data, BASE_URL);
            api = api.isEmpty() ? DEFAULT_API : api.endsWith("/") ? api : api + "/";
            String key = cacheKey(appId, owner, installationId, api, pem);
            Token cached = TOKENS.get(key);
            if (cached != null && Instant.now().isBefore(cached.renewAt())) {
                return cached.value();
            }
            String jwt = jwt(appId, privateKey(pem));
            long installation =
                    installationId != 0 ? installationId : installation(api, owner, jwt);
            Token token = installationToken(api, installation, jwt);
            TOKENS.values().removeIf(t -> !Instant.now().isBefore(t.renewAt()));
            TOKENS.put(key, token);
            return token.value();
        } catch (IllegalArgumentException e) {
            // an API URL or owner that makes no URL
            throw GitFetchException.withReason(
                    Reasons.AUTHENTICATION_FAILED,
                    "failed to configure authentication options: invalid API URL: "
                            + e.getMessage());
        } catch (Refused e) {
            throw GitFetchException.withReason(
                    Reasons.AUTHENTICATION_FAILED,
                    "failed to configure authentication options: " + e.getMessage());
        }
    }

    private static String jwt(long appId, PrivateKey key) throws Refused {
        long issued = Instant.now().getEpochSecond() - 30; // clock drift allowance, as Flux
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims =
                base64Url(
                        "{\"iss\":\"%d\",\"exp\":%d,\"iat\":%d}"
                                .formatted(appId, issued + 120, issued));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header
                    + "."
                    + claims
                    + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new Refused("could not sign the app's JWT: " + e.getMessage());
        }
    }

    /** The organisation's installation of the App, else the user's, as fluxcd/pkg looks it up. */
    private static long installation(String api, String owner, String jwt) throws Refused {
        List<String> errors = new ArrayList<>();
        for (String kind : List.of("orgs", "users")) {
            String url = api + kind + "/" + owner + "/installation";
            try {
                return call(HttpRequest.newBuilder(URI.create(url)).GET(), jwt, 200)
                        .path("id")
                        .asLong();
            } catch (Refused e) {
                errors.add(
                        "failed to find "
                                + ("orgs".equals(kind) ? "organization" : "user")
                                + " installation: "
                                + e.getMessage());
            }
        }
        throw new Refused(String.join("\n", errors));
    }

    private static Token installationToken(String api, long installation, String jwt)
            throws Refused {
        String url = api + "app/installations/" + installation + "/access_tokens";
        JsonNode answer =
                call(
                        HttpRequest.newBuilder(URI.create(url))
                                .POST(HttpRequest.BodyPublishers.noBody()),
                        jwt,
                        201);
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            throw new Refused("POST " + url + ": the answer holds no token");
        }
        Instant now = Instant.now();
        Instant expires;
        try {
            expires = Instant.parse(answer.path("expires_at").asText());
        } catch (RuntimeException e) {
            expires = now; // used once, asked for again next time
        }
        Duration lifetime = Duration.between(now, expires);
        return new Token(token, now.plus(lifetime.multipliedBy(8).dividedBy(10)));
    }

    private static JsonNode call(HttpRequest.Builder request, String jwt, int expected)
            throws Refused {
        HttpRequest built =
                request.header("Authorization", "Bearer " + jwt)
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .timeout(Duration.ofSeconds(30))
                        .build();
        String what = built.method() + " " + built.uri();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.nullNode();
            }
            if (response.statusCode() != expected) {
                // as go-github words an error answer
                throw new Refused(
                        what
                                + ": "
                                + response.statusCode()
                                + " "
                                + body.path("message").asText("")
                                + " []");
            }
            return body;
        } catch (IOException e) {
            throw new Refused(what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(what + ": interrupted");
        }
    }

    /** A PEM key, PKCS#1 (as GitHub issues App keys) or PKCS#8. */
    private static PrivateKey privateKey(String pem) throws Refused {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            // refused below, without the parser's words (they may quote the key)
        }
        throw new Refused(
                "could not parse private key: invalid key: Key must be a PEM encoded PKCS1 or"
                        + " PKCS8 key");
    }

    private static String cacheKey(
            long appId, String owner, long installationId, String api, String pem) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (appId
                                                    + "\n"
                                                    + owner
                                                    + "\n"
                                                    + installationId
                                                    + "\n"
                                                    + api
                                                    + "\n"
                                                    + pem)
                                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(Map<String, String> data, String key) {
        try {
            return Long.parseLong(text(data, key).strip());
        } catch (NumberFormatException e) {
            return 0; // as Flux parses it: unreadable is not given
        }
    }

    private static String text(Map<String, String> data, String key) {
        String value = data.get(key);
        return value == null
                ? ""
                : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Why no token was had, in Flux's words. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
