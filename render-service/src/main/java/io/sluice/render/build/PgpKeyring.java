package io.sluice.render.build;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;

/**
 * The OpenPGP keys of a sops decryption Secret ({@code *.asc}, armored as {@code gpg --export
 * --armor} writes them) as one binary keyring: the {@code secring.gpg} that sops' built-in OpenPGP
 * decryption reads from {@code $GNUPGHOME}, where kustomize-controller imports the same keys into a
 * temporary GnuPG home with {@code gpg --import}. No gpg binary is needed.
 */
public final class PgpKeyring {
    private final ByteArrayOutputStream rings = new ByteArrayOutputStream();

    /**
     * Adds the key rings of one Secret entry; {@code what} names it in the error, as
     * kustomize-controller's "failed to import 'key.asc' data from sops decryption Secret
     * 'ns/name'".
     */
    public void add(byte[] armored, String what) throws BuildException {
        int found = 0;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            JcaPGPObjectFactory objects = new JcaPGPObjectFactory(in);
            for (Object object = objects.nextObject();
                    object != null;
                    object = objects.nextObject()) {
                if (object instanceof PGPSecretKeyRing ring) {
                    rings.write(ring.getEncoded());
                    found++;
                } else if (object instanceof PGPPublicKeyRing ring) {
                    rings.write(ring.getEncoded());
                    found++;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BuildException("failed to import " + what + ": " + e.getMessage());
        }
        if (found == 0) {
            throw new BuildException("failed to import " + what + ": no OpenPGP key found");
        }
    }

    public byte[] bytes() {
        return rings.toByteArray();
    }
}
