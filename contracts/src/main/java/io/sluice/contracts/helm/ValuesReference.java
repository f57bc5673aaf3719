package io.sluice.contracts.helm;

/** {@code spec.valuesFrom[]}: values from a ConfigMap or Secret key, merged in order before {@code spec.values}. */
public class ValuesReference {
    public String kind;
    public String name;
    public String valuesKey;
    public String targetPath;
    public Boolean optional;
}
