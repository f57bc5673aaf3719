package io.sluice.contracts.helm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A HelmRelease's Helm release name and namespace as Flux computes them: {@code spec.releaseName},
 * else {@code [<targetNamespace>-]<name>}, shortened past Helm's 53 characters to its first 40, a
 * dash and 12 hex characters of its sha256; the namespace is {@code targetNamespace}, else the
 * HelmRelease's own.
 */
public final class ReleaseNaming {
    private static final int MAX_LENGTH = 53;
    private static final int HASH_LENGTH = 12;

    private ReleaseNaming() {}

    public static String releaseName(String name, String targetNamespace, String releaseName) {
        if (releaseName != null && !releaseName.isEmpty()) {
            return shorten(releaseName);
        }
        return shorten(
                targetNamespace == null || targetNamespace.isEmpty()
                        ? name
                        : targetNamespace + "-" + name);
    }

    public static String namespace(String ownNamespace, String targetNamespace) {
        return targetNamespace == null || targetNamespace.isEmpty()
                ? ownNamespace
                : targetNamespace;
    }

    static String shorten(String name) {
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            String sum =
                    HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-256")
                                            .digest(name.getBytes(StandardCharsets.UTF_8)));
            return name.substring(0, MAX_LENGTH - HASH_LENGTH - 1)
                    + "-"
                    + sum.substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
