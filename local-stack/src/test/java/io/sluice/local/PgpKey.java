package io.sluice.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * An OpenPGP key, made with BouncyCastle as gpg makes one, that signs Git commits and tags for JGit
 * (as {@code git commit -S} signs them), and its armored public key (what a Flux user puts in the
 * verify Secret as {@code *.asc}); it may also encrypt (sops' {@code --pgp}), and its armored
 * secret key is what a sops decryption Secret holds as {@code *.asc}.
 */
final class PgpKey implements Signer {
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    private final PGPKeyPair pair;
    private final PGPSecretKey secret;
    private final String armoredPublicKey;

    private PgpKey(PGPKeyPair pair, PGPSecretKey secret, String armoredPublicKey) {
        this.pair = pair;
        this.secret = secret;
        this.armoredPublicKey = armoredPublicKey;
    }

    static PgpKey generate(String identity) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(
                new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(65537)), new SecureRandom());
        PGPKeyPair pair =
                new JcaPGPKeyPair(
                        PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
        PGPSignatureSubpacketGenerator usage = new PGPSignatureSubpacketGenerator();
        usage.setKeyFlags(
                false,
                KeyFlags.CERTIFY_OTHER
                        | KeyFlags.SIGN_DATA
                        | KeyFlags.ENCRYPT_COMMS
                        | KeyFlags.ENCRYPT_STORAGE);
        PGPSecretKey secret =
                new PGPSecretKey(
                        PGPSignature.POSITIVE_CERTIFICATION,
                        pair,
                        identity,
                        new JcaPGPDigestCalculatorProviderBuilder()
                                .build()
                                .get(HashAlgorithmTags.SHA1),
                        usage.generate(),
                        null,
                        new JcaPGPContentSignerBuilder(
                                pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                        new JcePBESecretKeyEncryptorBuilder(
                                        org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.NULL)
                                .build(new char[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            new PGPPublicKeyRing(java.util.List.of(secret.getPublicKey())).encode(armored);
        }
        return new PgpKey(pair, secret, out.toString(java.nio.charset.StandardCharsets.US_ASCII));
    }

    String armoredPublicKey() {
        return armoredPublicKey;
    }

    /** As {@code gpg --export-secret-keys --armor} writes it. */
    String armoredSecretKey() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            new PGPSecretKeyRing(java.util.List.of(secret)).encode(armored);
        }
        return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The public key ring, binary: a {@code pubring.gpg} that sops encrypts with. */
    byte[] publicKeyRing() throws IOException {
        return new PGPPublicKeyRing(java.util.List.of(secret.getPublicKey())).getEncoded();
    }

    /** The fingerprint as sops' {@code --pgp} takes it: 40 upper-case hex digits. */
    String fingerprint() {
        return java.util.HexFormat.of()
                .withUpperCase()
                .formatHex(secret.getPublicKey().getFingerprint());
    }

    /** The key ID as Flux prints it: 16 upper-case hex digits. */
    String keyId() {
        return String.format("%016X", pair.getKeyID());
    }

    @Override
    public GpgSignature sign(
            Repository repository,
            GpgConfig config,
            byte[] data,
            PersonIdent committer,
            String signingKey,
            CredentialsProvider credentials)
            throws IOException {
        try {
            PGPSignatureGenerator generator =
                    new PGPSignatureGenerator(
                            new JcaPGPContentSignerBuilder(
                                            pair.getPublicKey().getAlgorithm(),
                                            HashAlgorithmTags.SHA256)
                                    .setProvider(PROVIDER),
                            pair.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            generator.update(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(out);
                    OutputStream packets = new BCPGOutputStream(armored)) {
                generator.generate().encode(packets);
            }
            return new GpgSignature(out.toByteArray());
        } catch (PGPException e) {
            throw new IOException(e);
        }
    }

    @Override
    public boolean canLocateSigningKey(
            Repository repository,
            GpgConfig config,
            PersonIdent committer,
            String signingKey,
            CredentialsProvider credentials) {
        return true;
    }
}
