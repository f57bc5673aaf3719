package io.sluice.contracts.source;

/** Which commit to fetch; Flux's precedence is commit, name, semver, tag, branch. */
public class GitRepositoryRef {
    public String branch;
    public String tag;
    public String semver;
    public String name;
    public String commit;
}
