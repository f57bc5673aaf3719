package io.sluice.contracts.events;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals rendered bundles for their trip over Kafka (AES-256-GCM), so that a Secret rendered from
 * Git or a chart is never readable on a topic, in a dead-letter copy or in a dump by anyone who
 * cannot read the key. The key is a Kubernetes Secret ({@value #KEY_SECRET} in Sluice's namespace):
 * whoever can read it can read every Secret Sluice applies anyway. The sealing side
 * (render-service) creates it when absent and reads it again every minute, so a replaced key is in
 * use within a minute; the opening side (apply-service) only reads it, and reads it again when a
 * bundle does not open. The key is read on first use, not when the seal is made (that may be on an
 * event-loop thread, which must not wait for the API server).
 */
public final class BundleSeal {
    public static final String KEY_SECRET = "sluice-bundle-key";
    static final String KEY_FIELD = "aes-256-gcm";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String namespace;
    private static final Duration KEY_LIFETIME = Duration.ofMinutes(1);

    private volatile byte[] key;
    private volatile Instant keyRead = Instant.MIN;

    private BundleSeal(KubernetesClient client, String namespace, byte[] key) {
        this.client = client;
        this.namespace = namespace;
        this.key = key;
    }

    /** A seal with a fixed key, for tests. */
    public static BundleSeal withKey(byte[] key) {
        return new BundleSeal(null, null, key.clone());
    }

    /**
     * The seal whose key is the Secret {@value #KEY_SECRET} in {@code namespace}, created if
     * absent.
     */
    public static BundleSeal fromCluster(KubernetesClient client, String namespace) {
        return new BundleSeal(client, namespace, null);
    }

    /** The key for sealing: read (or created) again once it is a minute old. */
    private synchronized byte[] sealingKey() {
        if (client != null && keyRead.plus(KEY_LIFETIME).isBefore(Instant.now())) {
            try {
                key = readOrCreateKey(client, namespace);
                keyRead = Instant.now();
            } catch (RuntimeException e) {
                if (key == null) {
                    throw e;
                }
                // the API server is away: the key known a minute ago still seals
            }
        }
        return key;
    }

    /** The key for opening, read again when {@code again}; never created here. */
    private synchronized byte[] openingKey(boolean again) {
        if (client != null && (key == null || again)) {
            key = readKey(client, namespace);
            keyRead = Instant.now();
        }
        return key;
    }

    public String seal(byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(sealingKey(), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder()
                    .encodeToString(
                            ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a bundle", e);
        }
    }

    /**
     * The bundle's bytes; throws {@link IllegalArgumentException} when it was not sealed with the
     * key (also after reading it again).
     */
    public byte[] open(String sealed) {
        byte[] bytes = Base64.getDecoder().decode(sealed);
        try {
            return open(bytes, openingKey(false));
        } catch (GeneralSecurityException e) {
            if (client != null) {
                try {
                    return open(bytes, openingKey(true));
                } catch (GeneralSecurityException again) {
                    e = again;
                }
            }
            throw new IllegalArgumentException(
                    "the bundle cannot be opened with the key in Secret "
                            + namespace
                            + "/"
                            + KEY_SECRET
                            + " (sealed with another key, or damaged)",
                    e);
        }
    }

    private static byte[] open(byte[] bytes, byte[] key) throws GeneralSecurityException {
        if (bytes.length < NONCE_BYTES) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
        return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
    }

    private static byte[] readKey(KubernetesClient client, String namespace) {
        byte[] key = existingKey(client, namespace);
        if (key == null) {
            throw new IllegalArgumentException(
                    "the bundle cannot be opened: Secret "
                            + namespace
                            + "/"
                            + KEY_SECRET
                            + " with key '"
                            + KEY_FIELD
                            + "' not found");
        }
        return key;
    }

    private static byte[] existingKey(KubernetesClient client, String namespace) {
        Secret existing = client.secrets().inNamespace(namespace).withName(KEY_SECRET).get();
        String encoded =
                existing == null || existing.getData() == null
                        ? null
                        : existing.getData().get(KEY_FIELD);
        return encoded == null ? null : Base64.getDecoder().decode(encoded);
    }

    private static byte[] readOrCreateKey(KubernetesClient client, String namespace) {
        for (int attempt = 1; ; attempt++) {
            byte[] existing = existingKey(client, namespace);
            if (existing != null) {
                return existing;
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            try {
                client.secrets()
                        .inNamespace(namespace)
                        .resource(
                                new SecretBuilder()
                                        .withNewMetadata()
                                        .withName(KEY_SECRET)
                                        .withNamespace(namespace)
                                        .withLabels(Map.of("app.kubernetes.io/part-of", "sluice"))
                                        .endMetadata()
                                        .withType("Opaque")
                                        .withData(
                                                Map.of(
                                                        KEY_FIELD,
                                                        Base64.getEncoder().encodeToString(fresh)))
                                        .build())
                        .create();
                return fresh;
            } catch (KubernetesClientException e) {
                // another service created it first: read theirs
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= 3) {
                    throw e;
                }
            }
        }
    }
}
