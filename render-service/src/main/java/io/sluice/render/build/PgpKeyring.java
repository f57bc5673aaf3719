package io.sluice.render.build;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern ARMORED_BLOCK =
            Pattern.compile("(?s)-----BEGIN PGP [A-Z ]+-----.*?-----END PGP [A-Z ]+-----");

    private final ByteArrayOutputStream rings = new ByteArrayOutputStream();

    /**
     * Adds the key rings of one Secret entry, every armored block of it (as {@code gpg --import}
     * reads them; binary key rings too); {@code what} names it in the error, as
     * kustomize-controller's "failed to import 'key.asc' data from sops decryption Secret
     * 'ns/name'".
     */
    public void add(byte[] value, String what) throws BuildException {
        String text = new String(value, StandardCharsets.US_ASCII);
        List<byte[]> blocks = new ArrayList<>();
        Matcher armored = ARMORED_BLOCK.matcher(text);
        while (armored.find()) {
            blocks.add(armored.group().getBytes(StandardCharsets.US_ASCII));
        }
        if (blocks.isEmpty()) {
            blocks.add(value);
        }
        int found = 0;
        for (byte[] block : blocks) {
            found += addRings(block, what);
        }
        if (found == 0) {
            throw new BuildException("failed to import " + what + ": no OpenPGP key found");
        }
    }

    private int addRings(byte[] block, String what) throws BuildException {
        int found = 0;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(block))) {
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
        return found;
    }

    public byte[] bytes() {
        return rings.toByteArray();
    }
}
