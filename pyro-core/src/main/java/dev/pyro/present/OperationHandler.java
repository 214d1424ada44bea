package dev.pyro.present;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;

/**
 * The code behind one operation, for every face: it calls the SDK with checked
 * {@link Arguments} and returns the {@link Outcome} each face prints or sends. Failures
 * are thrown as {@link dev.pyro.PyroException}; faces render them with {@link ErrorDocument}.
 */
@FunctionalInterface
public interface OperationHandler {
    /** Runs the operation. */
    Outcome handle(Arguments arguments, Invocation invocation);
}
