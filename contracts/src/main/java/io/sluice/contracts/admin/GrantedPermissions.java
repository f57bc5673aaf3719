package io.sluice.contracts.admin;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The permissions a service's chart grants it, as its {@code application.properties} declares the
 * rules ({@code quarkus.kubernetes.rbac.cluster-roles.<service>.policy-rules.<rule>.api-groups},
 * {@code resources}, {@code verbs}; {@code roles.<role>} for its own namespace), checked against
 * the cluster with SelfSubjectAccessReviews, so that what a cluster's RBAC leaves out is named
 * exactly ("list gitrepositories.source.toolkit.fluxcd.io") instead of failing later as a forbidden
 * request.
 */
public final class GrantedPermissions {
    private static final Pattern RULE =
            Pattern.compile(
                    "quarkus\\.kubernetes\\.rbac\\.(cluster-roles|roles)\\.([^.]+)\\.policy-rules\\.([^.]+)\\.verbs");

    /** One verb on one resource; {@code namespaced}: in the service's own namespace only. */
    public record Permission(String verb, String group, String resource, boolean namespaced) {
        /** As kubectl names it: {@code list gitrepositories.source.toolkit.fluxcd.io}. */
        public String named() {
            return verb + " " + resource + (group.isEmpty() ? "" : "." + group);
        }
    }

    private GrantedPermissions() {}

    /** The permissions {@code properties} grant the ClusterRole {@code service} and its Roles. */
    public static List<Permission> declared(Properties properties, String service) {
        List<Permission> permissions = new ArrayList<>();
        for (String key :
                new TreeMap<>(properties).keySet().stream().map(String::valueOf).toList()) {
            Matcher rule = RULE.matcher(key);
            if (!rule.matches()
                    || ("cluster-roles".equals(rule.group(1)) && !service.equals(rule.group(2)))) {
                continue;
            }
            String prefix = key.substring(0, key.length() - "verbs".length());
            boolean namespaced = "roles".equals(rule.group(1));
            for (String group : list(properties.getProperty(prefix + "api-groups", ""))) {
                for (String resource : list(properties.getProperty(prefix + "resources", ""))) {
                    for (String verb : list(properties.getProperty(key))) {
                        permissions.add(new Permission(verb, group, resource, namespaced));
                    }
                }
            }
        }
        return permissions;
    }

    /** The permissions the service's own {@code application.properties} grant it. */
    public static List<Permission> declared(String service) {
        Properties properties = new Properties();
        try (InputStream in =
                GrantedPermissions.class
                        .getClassLoader()
                        .getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return declared(properties, service);
    }

    /** Of {@code required}, those the cluster does not allow the client's identity. */
    public static List<Permission> missing(
            KubernetesClient client, List<Permission> required, String namespace) {
        List<Permission> missing = new ArrayList<>();
        for (Permission permission : required) {
            SelfSubjectAccessReview review =
                    client.authorization()
                            .v1()
                            .selfSubjectAccessReview()
                            .create(
                                    new SelfSubjectAccessReviewBuilder()
                                            .withNewSpec()
                                            .withResourceAttributes(
                                                    attributes(permission, namespace))
                                            .endSpec()
                                            .build());
            if (review.getStatus() == null
                    || !Boolean.TRUE.equals(review.getStatus().getAllowed())) {
                missing.add(permission);
            }
        }
        return missing;
    }

    private static io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes attributes(
            Permission permission, String namespace) {
        String resource = permission.resource();
        String subresource = null;
        if (resource.contains("/")) {
            subresource = resource.substring(resource.indexOf('/') + 1);
            resource = resource.substring(0, resource.indexOf('/'));
        }
        return new ResourceAttributesBuilder()
                .withVerb(permission.verb())
                .withGroup(permission.group())
                .withResource(resource)
                .withSubresource(subresource)
                .withNamespace(permission.namespaced() ? namespace : null)
                .build();
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            items.add(item.strip());
        }
        return items;
    }
}
