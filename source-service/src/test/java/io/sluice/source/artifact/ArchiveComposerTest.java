package io.sluice.source.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArchiveComposerTest {
    @Test
    void filesUnderFromPathMoveUnderToPathAndNothingElseIsCopied() {
        ArchiveComposer.Addition deploy =
                new ArchiveComposer.Addition("shared", Path.of("a.tar.gz"), "./deploy/", "shared");
        assertThat(deploy.moved("deploy/settings.yaml")).isEqualTo("shared/settings.yaml");
        assertThat(deploy.moved("./deploy/nested/a.yaml")).isEqualTo("shared/nested/a.yaml");
        assertThat(deploy.moved("deployment/a.yaml"))
                .as("a sibling that shares the prefix")
                .isNull();
        assertThat(deploy.moved("docs/README.md")).isNull();

        ArchiveComposer.Addition whole =
                new ArchiveComposer.Addition("shared", Path.of("a.tar.gz"), "", "/vendor/shared/");
        assertThat(whole.moved("docs/README.md")).isEqualTo("vendor/shared/docs/README.md");
    }
}
