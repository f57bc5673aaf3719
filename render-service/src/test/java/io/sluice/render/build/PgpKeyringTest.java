package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.junit.jupiter.api.Test;

class PgpKeyringTest {
    private static final String WHAT = "'key.asc' data from sops decryption Secret 'apps/sops'";

    @Test
    void anArmoredSecretKeyBecomesTheBinaryKeyringSopsReads() throws Exception {
        PGPSecretKeyRing ring = secretKeyRing();
        PgpKeyring keyring = new PgpKeyring();
        keyring.add(armored(ring), WHAT);
        assertThat(keyring.bytes()).isEqualTo(ring.getEncoded());
    }

    @Test
    void everyArmoredBlockOfAnEntryIsRead() throws Exception {
        PGPSecretKeyRing first = secretKeyRing();
        PGPSecretKeyRing second = secretKeyRing();
        byte[] both =
                (new String(armored(first), StandardCharsets.US_ASCII)
                                + "\n"
                                + new String(armored(second), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
        PgpKeyring keyring = new PgpKeyring();
        keyring.add(both, WHAT);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first.getEncoded());
        expected.write(second.getEncoded());
        assertThat(keyring.bytes()).isEqualTo(expected.toByteArray());
    }

    @Test
    void anEntryWithNoKeyIsRefusedNamingIt() {
        assertThatThrownBy(
                        () ->
                                new PgpKeyring()
                                        .add(
                                                "not-a-valid-armored-key"
                                                        .getBytes(StandardCharsets.UTF_8),
                                                WHAT))
                .isInstanceOf(BuildException.class)
                .hasMessageStartingWith("failed to import " + WHAT + ": ");
    }

    private static PGPSecretKeyRing secretKeyRing() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(65537)));
        PGPKeyPair pair =
                new JcaPGPKeyPair(
                        PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
        PGPSecretKey key =
                new PGPSecretKey(
                        PGPSignature.POSITIVE_CERTIFICATION,
                        pair,
                        "Sops <sops@example.com>",
                        new JcaPGPDigestCalculatorProviderBuilder()
                                .build()
                                .get(HashAlgorithmTags.SHA1),
                        null,
                        null,
                        new JcaPGPContentSignerBuilder(
                                pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                        new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.NULL)
                                .build(new char[0]));
        return new PGPSecretKeyRing(List.of(key));
    }

    private static byte[] armored(PGPSecretKeyRing ring) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            ring.encode(armored);
        }
        return out.toByteArray();
    }
}
