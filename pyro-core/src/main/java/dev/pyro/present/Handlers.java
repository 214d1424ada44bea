package dev.pyro.present;

import dev.pyro.contract.Contract;
import dev.pyro.contract.Face;
import dev.pyro.contract.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Handlers keyed by the registry's {@link Operation} constants. A face checks at startup,
 * with {@link #requireFor}, that every operation it offers has a handler and that no
 * handler belongs to an operation outside the registry; a drift stops it before it serves
 * anything.
 */
public final class Handlers {
    private final Map<Operation, OperationHandler> byOperation;

    private Handlers(Map<Operation, OperationHandler> byOperation) {
        // A hash map, not Map.copyOf: its probing calls equals on every colliding key, and an
        // operation's equals compares whole records (a CLI call builds these for one lookup).
        byOperation.forEach((op, handler) -> {
            Objects.requireNonNull(op, "operation");
            Objects.requireNonNull(handler, "handler");
        });
        this.byOperation = Collections.unmodifiableMap(new LinkedHashMap<>(byOperation));
    }

    /** Handlers from an explicit map (tests, embedders). */
    public static Handlers of(Map<Operation, OperationHandler> byOperation) {
        return new Handlers(byOperation);
    }

    /** These handlers plus (or with a replaced) one. */
    public Handlers with(Operation operation, OperationHandler handler) {
        Map<Operation, OperationHandler> more = new LinkedHashMap<>(byOperation);
        more.put(Objects.requireNonNull(operation, "operation"), Objects.requireNonNull(handler, "handler"));
        return new Handlers(more);
    }

    /** The handler of an operation. */
    public Optional<OperationHandler> of(Operation operation) {
        return Optional.ofNullable(byOperation.get(operation));
    }

    /** The operations that have a handler. */
    public Set<Operation> operations() {
        return byOperation.keySet();
    }

    /**
     * Verifies that every operation of {@code registry} that {@code face} offers has a
     * handler, and that every handler belongs to an operation of {@code registry}.
     *
     * @throws IllegalStateException naming every missing and every orphaned handler
     */
    public Handlers requireFor(Face face, List<Operation> registry) {
        List<String> problems = new ArrayList<>();
        Set<Operation> known = new HashSet<>(registry);
        for (Operation op : registry) {
            if (face.offers(op) && !byOperation.containsKey(op)) {
                problems.add("operation '" + op.id() + "' (" + face + ") has no handler");
            }
        }
        for (Operation op : byOperation.keySet()) {
            if (!known.contains(op)) {
                problems.add("handler for '" + op.id() + "' matches no operation in the registry");
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(null);
            throw new IllegalStateException("handlers and the contract registry disagree: "
                    + String.join("; ", problems));
        }
        return this;
    }

    /** {@link #requireFor(Face, List)} with the whole registry. */
    public Handlers requireFor(Face face) {
        return requireFor(face, Contract.OPERATIONS);
    }
}
