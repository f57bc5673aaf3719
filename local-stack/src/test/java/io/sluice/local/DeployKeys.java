package io.sluice.local;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** SSH deploy keys as {@code flux create secret git} (and {@code flux bootstrap}) write them. */
final class DeployKeys {
    private DeployKeys() {}

    /**
     * The Secret's data ({@code identity}, {@code identity.pub}, {@code known_hosts}, and {@code
     * password} for an encrypted key); the local Git server lets the key in.
     */
    static Map<String, String> secret(
            KeyPair key, String identity, String password, String knownHosts) {
        LocalStackExtension.stack().git().authorize(key.getPublic());
        Map<String, String> data = new LinkedHashMap<>();
        data.put("identity", identity);
        data.put("identity.pub", PublicKeyEntry.toString(key.getPublic()) + "\n");
        data.put("known_hosts", knownHosts);
        if (password != null) {
            data.put("password", password);
        }
        return data;
    }

    static String knownHosts() throws Exception {
        return LocalStackExtension.stack().git().knownHosts() + "\n";
    }

    /** Unencrypted PKCS#8 PEM, the format of the keys Flux's CLI generates. */
    static String pkcs8(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
