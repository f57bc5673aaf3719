package io.sluice.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GitSubmodulesTest {
    @Test
    void relativeUrlsResolveAgainstTheSuperprojectsAsGitResolvesThem() throws Exception {
        assertThat(GitSubmodules.resolve("https://git.example.com/org/app.git", "../lib.git"))
                .isEqualTo("https://git.example.com/org/lib.git");
        assertThat(GitSubmodules.resolve("ssh://git@git.example.com/org/app/", "../../x/lib"))
                .isEqualTo("ssh://git@git.example.com/x/lib");
        assertThat(GitSubmodules.resolve("https://git.example.com/org/app.git", "./lib"))
                .isEqualTo("https://git.example.com/org/app.git/lib");
        assertThat(GitSubmodules.resolve("git@git.example.com:org/app.git", "../lib.git"))
                .isEqualTo("git@git.example.com:org/lib.git");
        assertThat(GitSubmodules.resolve("https://a/b.git", "https://c/d.git"))
                .isEqualTo("https://c/d.git");
    }

    @Test
    void aRelativeUrlNeverLeavesTheHost() {
        assertThatThrownBy(
                        () ->
                                GitSubmodules.resolve(
                                        "https://h/r.git", "../../../../tmp/sluice/git/ns/victim"))
                .hasMessageContaining("cannot strip one component off url");
        assertThatThrownBy(() -> GitSubmodules.resolve("git@h:r.git", "../../x"))
                .hasMessageContaining("cannot strip one component off url");
    }

    @Test
    void onlyRemoteUrlsAreFollowedAndCredentialsStayOnTheirHost() {
        assertThat(GitSubmodules.remote("https://git.example.com/lib.git")).isTrue();
        assertThat(GitSubmodules.remote("ssh://git@git.example.com/lib.git")).isTrue();
        assertThat(GitSubmodules.remote("git@git.example.com:org/lib.git")).isTrue();
        assertThat(GitSubmodules.remote("/srv/git/lib.git")).isFalse();
        assertThat(GitSubmodules.remote("file:///srv/git/lib.git")).isFalse();
        assertThat(GitSubmodules.remote("../lib.git")).isFalse();
        assertThat(GitSubmodules.remote("git://git.example.com/lib.git")).isFalse();
        assertThat(GitSubmodules.sameHost("https://h:8443/a.git", "https://h:8443/b.git")).isTrue();
        assertThat(GitSubmodules.sameHost("https://h/a.git", "https://other/b.git")).isFalse();
        assertThat(GitSubmodules.sameHost("https://h/a.git", "https://h:8443/b.git")).isFalse();
    }
}
