package io.sluice.render.substitute;

/**
 * A postBuild substitution failed: bad syntax, an invalid variable name, or (strict mode) a
 * variable not set.
 */
public class SubstitutionException extends Exception {
    public SubstitutionException(String message) {
        super(message);
    }
}
