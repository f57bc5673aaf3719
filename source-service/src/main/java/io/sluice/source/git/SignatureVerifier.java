package io.sluice.source.git;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
                if (key == null) {
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
     * A commit's signed payload and signature: its raw text without the {@code gpgsig} header (a
     * value continued on lines that begin with a space), as Git signs it.
     */
    static Signed commit(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headersEnd = text.indexOf("\n\n");
        String headers = headersEnd < 0 ? text : text.substring(0, headersEnd + 1);
        String rest = headersEnd < 0 ? "" : text.substring(headersEnd + 1);
        StringBuilder payload = new StringBuilder();
        StringBuilder signature = new StringBuilder();
        boolean inSignature = false;
        for (String line : headers.split("\n", -1)) {
            if (line.startsWith("gpgsig ") || line.startsWith("gpgsig-sha256 ")) {
                inSignature = true;
                signature.append(line.substring(line.indexOf(' ') + 1)).append('\n');
            } else if (inSignature && line.startsWith(" ")) {
                signature.append(line.substring(1)).append('\n');
            } else {
                inSignature = false;
                payload.append(line).append('\n');
            }
        }
        payload.setLength(payload.length() - 1); // split added one newline past the last
        payload.append(rest);
        return new Signed(
                payload.toString().getBytes(StandardCharsets.UTF_8), signature.toString());
    }

    /** An annotated tag's signed payload and signature: the signature ends its message. */
    static Signed tag(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int at = text.indexOf(PGP);
        if (at < 0) {
            at = text.indexOf(SSH);
        }
        return at < 0
                ? new Signed(raw, "")
                : new Signed(
                        Arrays.copyOf(
                                raw, text.substring(0, at).getBytes(StandardCharsets.UTF_8).length),
                        text.substring(at));
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
