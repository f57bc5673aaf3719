package io.sluice.contracts.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetClustersTest {
    private static final String KUBECONFIG =
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: remote
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: Q0E=
                insecure-skip-tls-verify: true
            users:
            - name: admin
              user:
                token: abc
                as: someone-else
                exec: {command: /bin/steal, apiVersion: client.authentication.k8s.io/v1}
            contexts:
            - name: remote
              context: {cluster: remote, user: admin}
            current-context: remote
            """;

    @Test
    void pluginsOwnImpersonationAndInsecureTlsAreDroppedAsFluxDropsThem() throws Exception {
        String kept = TargetClusters.sanitized(KUBECONFIG, "apps/kc");
        assertThat(kept)
                .contains("server: 'https://10.0.0.1:6443'")
                .contains("token: abc")
                .contains("certificate-authority-data: Q0E=")
                .doesNotContain("exec")
                .doesNotContain("/bin/steal")
                .doesNotContain("someone-else")
                .doesNotContain("insecure-skip-tls-verify");
    }

    @Test
    void filesAreRefusedInKustomizeControllersWords() {
        assertThatThrownBy(
                        () ->
                                TargetClusters.sanitized(
                                        KUBECONFIG.replace(
                                                "certificate-authority-data: Q0E=",
                                                "certificate-authority: /etc/ca.crt"),
                                        "apps/kc"))
                .hasMessage(
                        "invalid KubeConfig in secret 'apps/kc': cluster 'remote' references a"
                                + " certificate-authority file, only certificate-authority-data is"
                                + " supported");
        assertThatThrownBy(
                        () ->
                                TargetClusters.sanitized(
                                        KUBECONFIG.replace("token: abc", "tokenFile: /var/token"),
                                        "apps/kc"))
                .hasMessage(
                        "invalid KubeConfig in secret 'apps/kc': user 'admin' references a"
                                + " tokenFile, only an inline token is supported");
    }

    @Test
    void aKubeconfigWithoutAContextIsInvalid() {
        assertThatThrownBy(() -> TargetClusters.sanitized("{}", "apps/kc"))
                .hasMessageStartingWith("invalid KubeConfig in secret 'apps/kc': ");
        assertThatThrownBy(() -> TargetClusters.sanitized("a: [", "apps/kc"))
                .hasMessageStartingWith("invalid KubeConfig in secret 'apps/kc': ");
    }
}
