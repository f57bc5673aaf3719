package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A drift informer's store: each object is kept as its identity and a digest of what drift compares
 * (everything but status and server bookkeeping), not whole: drift only asks whether an update
 * changed anything, and the whole objects of thousands of Deployments would be most of
 * apply-service's heap. The handlers get the new object whole (without managed fields, which drift
 * reads live), and the old one as kept here.
 */
final class DigestStore extends BasicItemStore<GenericKubernetesResource> {
    private static final String DIGEST = "sluiceDriftDigest";

    DigestStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        object.getMetadata().setManagedFields(null);
        return super.put(key, kept(object));
    }

    /**
     * True when {@code before} (as kept here) and {@code after} differ in more than status; the
     * digest of {@code after} is the one its {@link #put} computed while the store holds it.
     */
    boolean changed(GenericKubernetesResource before, GenericKubernetesResource after) {
        GenericKubernetesResource now = get(Cache.metaNamespaceKeyFunc(after));
        String afterDigest =
                now != null
                                && Objects.equals(
                                        now.getMetadata().getResourceVersion(),
                                        after.getMetadata().getResourceVersion())
                        ? keptDigest(now)
                        : digest(after);
        return !Objects.equals(keptDigest(before), afterDigest);
    }

    static GenericKubernetesResource kept(GenericKubernetesResource object) {
        ObjectMeta source = object.getMetadata();
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(source.getName());
        metadata.setNamespace(source.getNamespace());
        metadata.setUid(source.getUid());
        metadata.setResourceVersion(source.getResourceVersion());
        GenericKubernetesResource kept = new GenericKubernetesResource();
        kept.setApiVersion(object.getApiVersion());
        kept.setKind(object.getKind());
        kept.setMetadata(metadata);
        kept.setAdditionalProperty(DIGEST, digest(object));
        return kept;
    }

    private static String keptDigest(GenericKubernetesResource object) {
        return object.getAdditionalProperties().get(DIGEST) instanceof String digest
                ? digest
                : digest(object);
    }

    /** Of the object without status, managed fields, resource version and generation. */
    static String digest(GenericKubernetesResource object) {
        Map<String, Object> compared = new HashMap<>(object.getAdditionalProperties());
        compared.remove("status");
        compared.put("apiVersion", object.getApiVersion());
        compared.put("kind", object.getKind());
        compared.put(
                "metadata",
                new ObjectMetaBuilder(object.getMetadata())
                        .withManagedFields()
                        .withResourceVersion(null)
                        .withGeneration(null)
                        .build());
        return CanonicalJson.sha256(compared);
    }
}
