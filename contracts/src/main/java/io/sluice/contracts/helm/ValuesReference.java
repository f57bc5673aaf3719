package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code spec.valuesFrom[]}: values from a ConfigMap or Secret key, merged in order before {@code
 * spec.values}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ValuesReference {
    public String kind;
    public String name;
    public String valuesKey;
    public String targetPath;
    public Boolean optional;
}
