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

    @Test
    void nothingLeavesTheArchivesRoot() {
        ArchiveComposer.Addition escaping =
                new ArchiveComposer.Addition("x", Path.of("a.tar.gz"), "", "../../etc");
        assertThat(escaping.moved("passwd")).isNull();
        ArchiveComposer.Addition root =
                new ArchiveComposer.Addition("x", Path.of("a.tar.gz"), "", "./");
        assertThat(root.moved("kustomization.yaml")).as("over the root").isNull();
        ArchiveComposer.Addition fine =
                new ArchiveComposer.Addition("x", Path.of("a.tar.gz"), "", "shared");
        assertThat(fine.moved("a/../../b")).as("an entry that climbs out").isNull();
        assertThat(ArchiveComposer.clean("a/./b//c/")).isEqualTo("a/b/c");
    }
}
