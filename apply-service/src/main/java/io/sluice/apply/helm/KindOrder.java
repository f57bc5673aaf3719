package io.sluice.apply.helm;

import java.util.List;

/**
 * Helm's kind order for installing a release's objects and hooks; kinds it does not list come
 * after.
 */
final class KindOrder {
    private static final List<String> INSTALL =
            List.of(
                    "PriorityClass",
                    "Namespace",
                    "NetworkPolicy",
                    "ResourceQuota",
                    "LimitRange",
                    "PodSecurityPolicy",
                    "PodDisruptionBudget",
                    "ServiceAccount",
                    "Secret",
                    "SecretList",
                    "ConfigMap",
                    "StorageClass",
                    "PersistentVolume",
                    "PersistentVolumeClaim",
                    "CustomResourceDefinition",
                    "ClusterRole",
                    "ClusterRoleList",
                    "ClusterRoleBinding",
                    "ClusterRoleBindingList",
                    "Role",
                    "RoleList",
                    "RoleBinding",
                    "RoleBindingList",
                    "Service",
                    "DaemonSet",
                    "Pod",
                    "ReplicationController",
                    "ReplicaSet",
                    "Deployment",
                    "HorizontalPodAutoscaler",
                    "StatefulSet",
                    "Job",
                    "CronJob",
                    "IngressClass",
                    "Ingress",
                    "APIService");

    private KindOrder() {}

    static int install(String kind) {
        int index = INSTALL.indexOf(kind);
        return index < 0 ? INSTALL.size() : index;
    }
}
