package io.sluice.source.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.contracts.notification.Receiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook request as notification-controller does for each receiver type: {@code generic}
 * takes any; {@code generic-hmac} needs {@code X-Signature: <sha1|sha256|sha512>=<hex HMAC of the
 * body>}; {@code github} the same in {@code X-Hub-Signature-256} (or the older {@code
 * X-Hub-Signature}) and an {@code X-GitHub-Event} among {@code spec.events}; {@code bitbucket}
 * (Bitbucket Server) the same signature and an {@code X-Event-Key} among the events; {@code gitlab}
 * an {@code X-Gitlab-Token} equal to the token and an {@code X-Gitlab-Event} among the events;
 * {@code harbor} an {@code Authorization} equal to the token; {@code nexus} {@code
 * X-Nexus-Webhook-Signature: <hex HMAC-SHA1 of the body>}; {@code quay}, {@code dockerhub} and
 * {@code acr} a JSON payload (their path is their secret).
 */
final class PayloadCheck {
    private static final Map<String, String> MACS =
            Map.of("sha1", "HmacSHA1", "sha256", "HmacSHA256", "sha512", "HmacSHA512");

    private PayloadCheck() {}

    /** Null when the request is accepted, else why not (Flux's words). */
    static String problem(
            Receiver receiver, String token, UnaryOperator<String> headers, byte[] body) {
        List<String> events = receiver.getSpec().events;
        return switch (receiver.getSpec().type) {
            case "generic" -> null;
            case "generic-hmac" ->
                    signatureProblem(headers.apply("X-Signature"), body, token) == null
                            ? null
                            : "unable to validate HMAC signature: "
                                    + signatureProblem(headers.apply("X-Signature"), body, token);
            case "github" -> {
                String signature = headers.apply("X-Hub-Signature-256");
                if (signature == null) {
                    signature = headers.apply("X-Hub-Signature");
                }
                String problem = signatureProblem(signature, body, token);
                if (problem != null) {
                    yield "the GitHub signature header is invalid, err: " + problem;
                }
                yield eventProblem("GitHub", headers.apply("X-GitHub-Event"), events);
            }
            case "gitlab" -> {
                if (!equal(headers.apply("X-Gitlab-Token"), token)) {
                    yield "the X-Gitlab-Token header value does not match the receiver token";
                }
                yield eventProblem("GitLab", headers.apply("X-Gitlab-Event"), events);
            }
            case "bitbucket" -> {
                String signature = headers.apply("X-Hub-Signature-256");
                if (signature == null) {
                    signature = headers.apply("X-Hub-Signature");
                }
                String problem = signatureProblem(signature, body, token);
                if (problem != null) {
                    yield "the Bitbucket server signature header is invalid, err: " + problem;
                }
                yield eventProblem("Bitbucket server", headers.apply("X-Event-Key"), events);
            }
            case "harbor" ->
                    equal(headers.apply("Authorization"), token)
                            ? null
                            : "the Harbor Authorization header value does not match the receiver token";
            case "nexus" -> {
                String signature = headers.apply("X-Nexus-Webhook-Signature");
                if (signature == null || signature.isEmpty()) {
                    yield "the Nexus signature is missing from header";
                }
                if (!equal(signature, hex("HmacSHA1", token, body))) {
                    yield "invalid Nexus signature";
                }
                yield jsonProblem(body, "cannot decode Nexus webhook payload: ");
            }
            case "quay" -> jsonProblem(body, "cannot decode Quay webhook payload: ");
            case "dockerhub" ->
                    jsonProblem(body, "cannot decode DockerHub webhook payload") == null
                            ? null
                            : "cannot decode DockerHub webhook payload";
            case "acr" -> jsonProblem(body, "cannot decode ACR webhook payload: ");
            default -> "receiver type '" + receiver.getSpec().type + "' is not supported";
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** As Go decodes a payload into its struct: a JSON object, else the error. */
    private static String jsonProblem(byte[] body, String prefix) {
        try {
            return JSON.readTree(body) instanceof ObjectNode ? null : prefix + "not a JSON object";
        } catch (JsonProcessingException e) {
            return prefix + e.getOriginalMessage();
        } catch (IOException e) {
            return prefix + e.getMessage();
        }
    }

    private static boolean equal(String given, String expected) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String algorithm, String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String eventProblem(String service, String event, List<String> events) {
        if (events == null
                || events.isEmpty()
                || events.stream().anyMatch(e -> e.equalsIgnoreCase(event))) {
            return null;
        }
        return "the " + service + " event \"" + event + "\" is not authorised";
    }

    private static String signatureProblem(String signature, byte[] body, String token) {
        if (signature == null || !signature.contains("=")) {
            return "missing signature";
        }
        String algorithm = MACS.get(signature.substring(0, signature.indexOf('=')));
        if (algorithm == null) {
            return "unknown hash type prefix: " + signature.substring(0, signature.indexOf('='));
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(signature.indexOf('=') + 1));
        } catch (IllegalArgumentException e) {
            return "error decoding signature";
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), algorithm));
            return MessageDigest.isEqual(mac.doFinal(body), given)
                    ? null
                    : "payload signature check failed";
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
