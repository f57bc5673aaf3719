package io.sluice.source.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.notification.Receiver;
import io.sluice.contracts.notification.ReceiverSpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The receiver types beside github and gitlab, in notification-controller's words. */
class PayloadCheckTest {
    private static final String TOKEN = "webhook-token";
    private static final byte[] BODY =
            "{\"repositoryName\":\"charts\",\"action\":\"CREATED\"}"
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void bitbucketServerSignsLikeGitHubAndNamesItsEventInXEventKey() throws Exception {
        Receiver bitbucket = receiver("bitbucket", List.of("repo:refs_changed"));
        String signed = "sha256=" + hmac("HmacSHA256", TOKEN);
        assertThat(
                        check(
                                bitbucket,
                                Map.of(
                                        "X-Hub-Signature",
                                        signed,
                                        "X-Event-Key",
                                        "repo:refs_changed")))
                .isNull();
        assertThat(check(bitbucket, Map.of("X-Hub-Signature", signed, "X-Event-Key", "pr:opened")))
                .isEqualTo("the Bitbucket server event \"pr:opened\" is not authorised");
        assertThat(
                        check(
                                bitbucket,
                                Map.of(
                                        "X-Hub-Signature",
                                        "sha256=00",
                                        "X-Event-Key",
                                        "repo:refs_changed")))
                .isEqualTo(
                        "the Bitbucket server signature header is invalid, err: payload signature check failed");
    }

    @Test
    void harborSendsTheTokenAsItsAuthorization() {
        Receiver harbor = receiver("harbor", null);
        assertThat(check(harbor, Map.of("Authorization", TOKEN))).isNull();
        assertThat(check(harbor, Map.of("Authorization", "Bearer " + TOKEN)))
                .isEqualTo(
                        "the Harbor Authorization header value does not match the receiver token");
    }

    @Test
    void nexusSignsTheBodyWithHmacSha1() throws Exception {
        Receiver nexus = receiver("nexus", null);
        assertThat(check(nexus, Map.of("X-Nexus-Webhook-Signature", hmac("HmacSHA1", TOKEN))))
                .isNull();
        assertThat(check(nexus, Map.of("X-Nexus-Webhook-Signature", hmac("HmacSHA1", "other"))))
                .isEqualTo("invalid Nexus signature");
        assertThat(check(nexus, Map.of())).isEqualTo("the Nexus signature is missing from header");
    }

    @Test
    void quayDockerHubAndAcrNeedAJsonPayload() {
        for (String type : List.of("quay", "dockerhub", "acr")) {
            assertThat(check(receiver(type, null), Map.of())).as(type).isNull();
            assertThat(
                            PayloadCheck.problem(
                                    receiver(type, null),
                                    TOKEN,
                                    h -> null,
                                    "tag=1".getBytes(StandardCharsets.UTF_8)))
                    .as(type)
                    .startsWith("cannot decode");
        }
    }

    private static String check(Receiver receiver, Map<String, String> headers) {
        return PayloadCheck.problem(receiver, TOKEN, headers::get, BODY);
    }

    private static Receiver receiver(String type, List<String> events) {
        Receiver receiver = new Receiver();
        receiver.setSpec(new ReceiverSpec());
        receiver.getSpec().type = type;
        receiver.getSpec().events = events;
        return receiver;
    }

    private static String hmac(String algorithm, String key) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return HexFormat.of().formatHex(mac.doFinal(BODY));
    }
}
