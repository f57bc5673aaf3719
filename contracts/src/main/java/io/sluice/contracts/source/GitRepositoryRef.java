package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Which commit to fetch; Flux's precedence is commit, name, semver, tag, branch. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class GitRepositoryRef {
    public String branch;
    public String tag;
    public String semver;
    public String name;
    public String commit;
}
