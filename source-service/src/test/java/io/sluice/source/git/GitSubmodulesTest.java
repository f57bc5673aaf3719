package io.sluice.source.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitSubmodulesTest {
    @Test
    void relativeUrlsResolveAgainstTheSuperprojectsAsGitResolvesThem() {
        assertThat(GitSubmodules.resolve("https://git.example.com/org/app.git", "../lib.git"))
                .isEqualTo("https://git.example.com/org/lib.git");
        assertThat(GitSubmodules.resolve("ssh://git@git.example.com/org/app/", "../../x/lib"))
                .isEqualTo("ssh://git@git.example.com/x/lib");
        assertThat(GitSubmodules.resolve("https://git.example.com/org/app.git", "./lib"))
                .isEqualTo("https://git.example.com/org/app.git/lib");
        assertThat(GitSubmodules.resolve("https://a/b.git", "https://c/d.git"))
                .isEqualTo("https://c/d.git");
    }
}
