package io.sluice.source.git;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Checks an OpenPGP signature of a Git object against armored public key rings, as Flux's
 * fluxcd/pkg/git signature check does: the signature's type first (an unsigned object is of type
 * "empty", which no key verifies), then each key ring in turn; the key ID of the primary key of the
 * ring that verified it.
 */
final class SignatureVerifier {
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    private static final String PGP = "-----BEGIN PGP SIGNATURE-----";
    private static final String SSH = "-----BEGIN SSH SIGNATURE-----";
    private static final String X509 = "-----BEGIN SIGNED MESSAGE-----";

    private SignatureVerifier() {}

    /** Why a signature was not accepted, in Flux's words. */
    static final class Unverified extends Exception {
        Unverified(String message) {
            super(message);
        }
    }

    /** Flux's name for the kind of signature: openpgp, ssh, x509, empty or unknown. */
    static String type(String signature) {
        String trimmed = signature.strip();
        if (trimmed.isEmpty()) {
            return "empty";
        }
        if (trimmed.startsWith(PGP)) {
            return "openpgp";
        }
        if (trimmed.startsWith(SSH)) {
            return "ssh";
        }
        return trimmed.startsWith(X509) ? "x509" : "unknown";
    }

    /**
     * The key ID (16 upper-case hex digits) of the key that made {@code signature} over {@code
     * payload}, a Git {@code object} ("commit" or "tag").
     */
    static String verify(String signature, byte[] payload, List<String> keyRings, String object)
            throws Unverified {
        String type = type(signature);
        if ("ssh".equals(type)) {
            throw new Unverified("SSH signatures are not verified by Sluice yet");
        }
        if (!"openpgp".equals(type)) {
            throw new Unverified("unsupported signature type: " + type);
        }
        if (keyRings.isEmpty()) {
            throw new Unverified(
                    "PGP signature detected but no PGP public keys found in secret (keys with .asc"
                            + " suffix)");
        }
        try {
            return verifyPgp(signature, payload, keyRings);
        } catch (Unverified e) {
            throw new Unverified("unable to verify Git " + object + ": " + e.getMessage());
        }
    }

    private static String verifyPgp(String signature, byte[] payload, List<String> keyRings)
            throws Unverified {
        PGPSignature parsed = parse(signature);
        String readError = null;
        boolean attempted = false;
        for (String keyRing : keyRings) {
            PGPPublicKeyRingCollection rings;
            try (InputStream in =
                    PGPUtil.getDecoderStream(
                            new ByteArrayInputStream(keyRing.getBytes(StandardCharsets.UTF_8)))) {
                rings = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            } catch (IOException | PGPException | RuntimeException e) {
                if (readError == null) {
                    readError = "unable to read armored key ring: " + e.getMessage();
                }
                continue;
            }
            attempted = true;
            try {
                PGPPublicKeyRing ring = rings.getPublicKeyRing(parsed.getKeyID());
                PGPPublicKey key = ring == null ? null : ring.getPublicKey(parsed.getKeyID());
                if (key == null || !usable(ring, key, parsed)) {
                    continue;
                }
                parsed.init(new JcaPGPContentVerifierBuilderProvider().setProvider(PROVIDER), key);
                parsed.update(payload);
                if (parsed.verify()) {
                    return keyId(ring.getPublicKey().getKeyID());
                }
            } catch (PGPException e) {
                // as Flux: a ring that cannot check it is one more ring that did not match
            }
        }
        if (!attempted && readError != null) {
            throw new Unverified(readError);
        }
        throw new Unverified(
                "unable to verify payload with any of the given key rings: no matching key");
    }

    /**
     * Whether {@code key} of {@code ring} may have made {@code signature}, as go-crypto (Flux's
     * OpenPGP) decides: a signature over a binary or text document, with a hash that is not broken,
     * by the primary key or a subkey its primary key bound to it, neither revoked nor expired when
     * it signed.
     */
    private static boolean usable(PGPPublicKeyRing ring, PGPPublicKey key, PGPSignature signature)
            throws PGPException {
        int type = signature.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return false;
        }
        int hash = signature.getHashAlgorithm();
        if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.RIPEMD160) {
            return false;
        }
        PGPPublicKey primary = ring.getPublicKey();
        if (revoked(primary, primary) || (key != primary && !bound(primary, key))) {
            return false;
        }
        if (key != primary && revoked(primary, key)) {
            return false;
        }
        long signed = signature.getCreationTime().getTime();
        for (PGPPublicKey k : key == primary ? List.of(key) : List.of(primary, key)) {
            long valid = k.getValidSeconds();
            if (valid > 0 && signed > k.getCreationTime().getTime() + valid * 1000) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code primary} made a valid binding signature for {@code subkey}. */
    private static boolean bound(PGPPublicKey primary, PGPPublicKey subkey) throws PGPException {
        Iterator<PGPSignature> bindings = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (bindings.hasNext()) {
            PGPSignature binding = bindings.next();
            binding.init(new JcaPGPContentVerifierBuilderProvider().setProvider(PROVIDER), primary);
            if (binding.verifyCertification(primary, subkey)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code primary} validly revoked {@code key} (itself, or a subkey). */
    private static boolean revoked(PGPPublicKey primary, PGPPublicKey key) throws PGPException {
        int type = key == primary ? PGPSignature.KEY_REVOCATION : PGPSignature.SUBKEY_REVOCATION;
        Iterator<PGPSignature> revocations = key.getSignaturesOfType(type);
        while (revocations.hasNext()) {
            PGPSignature revocation = revocations.next();
            revocation.init(
                    new JcaPGPContentVerifierBuilderProvider().setProvider(PROVIDER), primary);
            if (key == primary
                    ? revocation.verifyCertification(key)
                    : revocation.verifyCertification(primary, key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A commit's signed payload and signature, byte for byte as Git signs it: the raw object
     * without its {@code gpgsig} header (a value continued on lines that begin with a space).
     */
    static Signed commit(byte[] raw) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        StringBuilder signature = new StringBuilder();
        boolean inHeaders = true;
        boolean inSignature = false;
        int start = 0;
        while (start < raw.length) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, raw.length); // the line with its newline
            if (inHeaders && end == start) {
                inHeaders = false; // the blank line before the message
            }
            if (inHeaders
                    && (startsWith(raw, start, "gpgsig ")
                            || startsWith(raw, start, "gpgsig-sha256 "))) {
                inSignature = true;
                int value = indexOf(raw, start, end, (byte) ' ') + 1;
                signature
                        .append(new String(raw, value, end - value, StandardCharsets.US_ASCII))
                        .append('\n');
            } else if (inHeaders && inSignature && raw[start] == ' ') {
                signature
                        .append(
                                new String(
                                        raw, start + 1, end - start - 1, StandardCharsets.US_ASCII))
                        .append('\n');
            } else {
                inSignature = false;
                payload.write(raw, start, next - start);
            }
            start = next;
        }
        return new Signed(payload.toByteArray(), signature.toString());
    }

    /**
     * An annotated tag's signed payload and signature: the signature is the last armored block that
     * begins a line, and ends the object, as Git finds it.
     */
    static Signed tag(byte[] raw) {
        int at = -1;
        for (String marker : List.of(PGP, SSH, X509)) {
            byte[] needle = ("\n" + marker).getBytes(StandardCharsets.US_ASCII);
            for (int i = raw.length - needle.length; i >= 0; i--) {
                if (startsWith(raw, i, needle)) {
                    at = Math.max(at, i + 1);
                    break;
                }
            }
        }
        return at < 0
                ? new Signed(raw, "")
                : new Signed(
                        Arrays.copyOf(raw, at),
                        new String(raw, at, raw.length - at, StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] raw, int at, String prefix) {
        return startsWith(raw, at, prefix.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(byte[] raw, int at, byte[] prefix) {
        if (at + prefix.length > raw.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (raw[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] raw, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return to;
    }

    record Signed(byte[] payload, String signature) {}

    private static PGPSignature parse(String signature) throws Unverified {
        try (InputStream in =
                PGPUtil.getDecoderStream(
                        new ByteArrayInputStream(signature.getBytes(StandardCharsets.UTF_8)))) {
            Object object = new JcaPGPObjectFactory(in).nextObject();
            if (object instanceof PGPCompressedData compressed) {
                object = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
            }
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
            throw new Unverified("unable to verify payload: no signature in the armored data");
        } catch (IOException | PGPException e) {
            throw new Unverified("unable to verify payload: " + e.getMessage());
        }
    }

    private static String keyId(long id) {
        return String.format("%016X", id);
    }
}
