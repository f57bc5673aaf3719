package io.sluice.apply.dependency;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.sluice.contracts.meta.CelValues;
import java.util.Map;

/**
 * A {@code dependsOn[].readyExpr}, as Flux evaluates it: a CEL expression of boolean type over
 * {@code self} (the object that depends) and {@code dep} (the dependency), compiled before it is
 * evaluated, so a wrong expression is an error rather than a dependency that never gets ready.
 */
final class ReadyExpression {
    private static final CelCompiler COMPILER =
            CelCompilerFactory.standardCelCompilerBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addVar("self", SimpleType.DYN)
                    .addVar("dep", SimpleType.DYN)
                    .setResultType(SimpleType.BOOL)
                    .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private ReadyExpression() {}

    /**
     * Whether {@code dep} is ready for {@code self}; an error names what is wrong with the
     * expression.
     */
    static boolean ready(String expression, Map<String, Object> self, Map<String, Object> dep)
            throws CelValidationException, CelEvaluationException {
        return Boolean.TRUE.equals(
                RUNTIME.createProgram(COMPILER.compile(expression).getAst())
                        .eval(Map.of("self", CelValues.of(self), "dep", CelValues.of(dep))));
    }
}
