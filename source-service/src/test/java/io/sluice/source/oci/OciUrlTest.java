package io.sluice.source.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OciUrlTest {
    @Test
    void aUrlIsTheRegistryHostAndTheRepository() throws Exception {
        OciUrl url = OciUrl.parse("oci://127.0.0.1:5000/org/app");
        assertThat(url.host()).isEqualTo("127.0.0.1:5000");
        assertThat(url.repository()).isEqualTo("org/app");
        assertThat(url.mayBePlainHttp()).isTrue();
        assertThat(OciUrl.parse("oci://ghcr.io/org/app").mayBePlainHttp()).isFalse();
    }

    @Test
    void aUrlIsRefusedInSourceControllersWords() {
        assertThatThrownBy(() -> OciUrl.parse("https://ghcr.io/org/app"))
                .hasMessage(
                        "URL validation failed for 'https://ghcr.io/org/app': URL must be in format 'oci://<domain>/<org>/<repo>'");
        assertThatThrownBy(() -> OciUrl.parse("oci://ghcr.io/org/app:v1"))
                .hasMessage(
                        "URL validation failed for 'oci://ghcr.io/org/app:v1': URL must not contain a tag; remove ':v1'");
    }

    @Test
    void aRegistryErrorsDetailReadsAsGoPrintsIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(RegistryClient.goValue(json.readTree("{\"Tag\":\"v9\"}")))
                .isEqualTo("map[Tag:v9]");
        assertThat(
                        RegistryClient.goValue(
                                json.readTree(
                                        "[{\"Type\":\"repository\",\"Name\":\"app\",\"Action\":\"pull\",\"Class\":\"\"}]")))
                .isEqualTo("[map[Action:pull Class: Name:app Type:repository]]");
        assertThat(RegistryClient.goValue(json.readTree("\"unknown tag=v9\"")))
                .isEqualTo("unknown tag=v9");
    }
}
