package io.sluice.health.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.sluice.contracts.meta.CelValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kustomization's {@code spec.healthCheckExprs}, as Flux evaluates them (fluxcd/pkg/runtime/cel):
 * each entry applies to a group (the version of its {@code apiVersion} is ignored) and, if it names
 * one, a kind, an entry for the kind winning over one for the whole group; expressions read the
 * object's top-level fields as variables. As in Flux, a syntax error refuses the entry at once,
 * while a reference to something the object lacks is an evaluation error: each expression is
 * checked against the object's own top-level fields (of dynamic type) when it is evaluated. A
 * generation not yet observed is in progress; then {@code inProgress}, {@code failed}, {@code
 * current} in that order, the first true one deciding; none true is in progress.
 */
public final class HealthCheckExpressions {
    public static final HealthCheckExpressions NONE = new HealthCheckExpressions(Map.of());

    private final Map<String, Evaluator> byGroupKind;

    private HealthCheckExpressions(Map<String, Evaluator> byGroupKind) {
        this.byGroupKind = byGroupKind;
    }

    /**
     * Parses {@code spec.healthCheckExprs}; an entry Flux would refuse is refused with the entry
     * and the reason.
     */
    public static HealthCheckExpressions parse(JsonNode healthCheckExprs) throws InvalidExpression {
        if (healthCheckExprs == null || !healthCheckExprs.isArray()) {
            return NONE;
        }
        Map<String, Evaluator> byGroupKind = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : healthCheckExprs) {
            String where = "healthCheckExprs[" + index++ + "]";
            String key =
                    groupKind(
                            group(entry.path("apiVersion").asText("")),
                            entry.path("kind").asText(""));
            if (byGroupKind.containsKey(key)) {
                throw new InvalidExpression(
                        "duplicate custom health check for GroupKind " + key + " at " + where);
            }
            String current = entry.path("current").asText("");
            if (current.isEmpty()) {
                throw new InvalidExpression(where + ": expression Current not specified");
            }
            byGroupKind.put(
                    key,
                    new Evaluator(
                            parsed(where, "Current", current),
                            optional(where, "Failed", entry.path("failed").asText("")),
                            optional(where, "InProgress", entry.path("inProgress").asText(""))));
        }
        return new HealthCheckExpressions(byGroupKind);
    }

    /**
     * The readiness the expressions give {@code object}, or empty when none applies to its kind.
     */
    public Optional<Readiness> judge(Map<String, Object> object) {
        if (byGroupKind.isEmpty() || object == null) {
            return Optional.empty();
        }
        String group = group(String.valueOf(object.get("apiVersion")));
        Evaluator evaluator = byGroupKind.get(groupKind(group, String.valueOf(object.get("kind"))));
        if (evaluator == null) {
            evaluator = byGroupKind.get(groupKind(group, ""));
        }
        return evaluator == null ? Optional.empty() : Optional.of(evaluator.judge(object));
    }

    private record Evaluator(String current, String failed, String inProgress) {
        Readiness judge(Map<String, Object> object) {
            if (!generationObserved(object)) {
                return Readiness.notReady("generation not yet observed by its controller");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) CelValues.of(object);
            try {
                if (inProgress != null && Cel.isTrue(inProgress, variables)) {
                    return Readiness.notReady("in progress (healthCheckExprs inProgress)");
                }
                if (failed != null && Cel.isTrue(failed, variables)) {
                    return Readiness.failed("failed (healthCheckExprs failed)");
                }
                if (Cel.isTrue(current, variables)) {
                    return Readiness.current();
                }
                return Readiness.notReady("in progress (healthCheckExprs current is false)");
            } catch (Cel.NotEvaluated e) {
                return Readiness.notReady(
                        "healthCheckExprs could not be evaluated: " + e.getMessage());
            }
        }

        private static boolean generationObserved(Map<String, Object> object) {
            if (object.get("status") instanceof Map<?, ?> status
                    && status.get("observedGeneration") instanceof Number observed
                    && object.get("metadata") instanceof Map<?, ?> metadata
                    && metadata.get("generation") instanceof Number generation) {
                return observed.longValue() == generation.longValue();
            }
            return true;
        }
    }

    private static String optional(String where, String name, String expression)
            throws InvalidExpression {
        return expression.isEmpty() ? null : parsed(where, name, expression);
    }

    /** The expression, once it is known to parse. */
    private static String parsed(String where, String name, String expression)
            throws InvalidExpression {
        String error = Cel.parseError(expression);
        if (error != null) {
            throw new InvalidExpression(
                    where
                            + ": failed to parse the expression "
                            + name
                            + " '"
                            + expression
                            + "': "
                            + error);
        }
        return expression;
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static String groupKind(String group, String kind) {
        return kind.isEmpty() ? group : kind + "." + group;
    }

    /**
     * CEL itself, loaded only once some Kustomization has {@code healthCheckExprs}: its compiler
     * and runtime are some 750 classes, in every health-service otherwise.
     */
    private static final class Cel {
        private static final CelCompiler PARSER = compiler().build();
        private static final CelRuntime RUNTIME =
                CelRuntimeFactory.standardCelRuntimeBuilder().build();
        private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

        /** Why {@code expression} does not parse, or null when it does. */
        static String parseError(String expression) {
            CelValidationResult parsed = PARSER.parse(expression);
            return parsed.hasError() ? parsed.getErrorString() : null;
        }

        static boolean isTrue(String expression, Map<String, Object> variables) {
            try {
                return Boolean.TRUE.equals(program(expression, variables.keySet()).eval(variables));
            } catch (CelEvaluationException | CelValidationException e) {
                throw new NotEvaluated(e.getMessage());
            }
        }

        /**
         * Compiled once per expression and set of top-level fields: objects are judged again at
         * each of their changes.
         */
        private static CelRuntime.Program program(String expression, Set<String> variables)
                throws CelEvaluationException, CelValidationException {
            String key = new TreeSet<>(variables) + "\n" + expression;
            CelRuntime.Program program = PROGRAMS.get(key);
            if (program == null) {
                CelCompilerBuilder compiler = compiler();
                variables.forEach(name -> compiler.addVar(name, SimpleType.DYN));
                CelAbstractSyntaxTree ast = compiler.build().compile(expression).getAst();
                program = RUNTIME.createProgram(ast);
                PROGRAMS.put(key, program);
            }
            return program;
        }

        /**
         * CEL as Flux's cel-go environment has it: the standard functions and macros (has, all,
         * filter...).
         */
        private static CelCompilerBuilder compiler() {
            return CelCompilerFactory.standardCelCompilerBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        }

        static final class NotEvaluated extends RuntimeException {
            NotEvaluated(String message) {
                super(message);
            }
        }
    }

    /** A {@code healthCheckExprs} entry Flux would refuse. */
    public static final class InvalidExpression extends Exception {
        public InvalidExpression(String message) {
            super(message);
        }
    }
}
