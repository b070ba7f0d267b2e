package dev.destinations.testkit.contract;

import dev.destinations.testkit.VendorStub;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several vendors' sandboxes on one {@link VendorStub}, each under its own path prefix (the local tools give every
 * function {@code http://127.0.0.1:PORT/<vendor host><base path>}). A request under no sandbox's prefix is a
 * violation (recorded, answered 404), as a request to an endpoint no contract lists.
 */
public final class Sandboxes implements VendorStub.Responder {
    private final List<ContractSandbox> sandboxes = new ArrayList<>();
    private final List<Violation> unrouted = new ArrayList<>();
    private boolean presumeExisting;

    /** {@link ContractSandbox#presumeExisting} for every sandbox here, and those added later. */
    public synchronized Sandboxes presumeExisting(boolean on) {
        presumeExisting = on;
        sandboxes.forEach(s -> s.presumeExisting(on));
        return this;
    }

    /** Adds a sandbox; the longest matching prefix wins. */
    public synchronized Sandboxes add(ContractSandbox sandbox) {
        sandboxes.add(sandbox);
        if (presumeExisting) sandbox.presumeExisting(true);
        sandboxes.sort(Comparator.comparingInt((ContractSandbox s) -> s.prefix().length()).reversed());
        return this;
    }

    public synchronized List<ContractSandbox> all() {
        return List.copyOf(sandboxes);
    }

    /** Whether a sandbox here answers under this request's path. */
    public synchronized boolean takes(VendorStub.Recorded r) {
        return target(r) != null;
    }

    private ContractSandbox target(VendorStub.Recorded r) {
        return sandboxes.stream().filter(s -> r.rawPath().startsWith(s.prefix() + "/") || r.rawPath().equals(s.prefix())).findFirst().orElse(null);
    }

    @Override
    public VendorStub.Reply answer(VendorStub.Recorded r) {
        ContractSandbox target;
        synchronized (this) {
            target = target(r);
            if (target == null) {
                Violation v = new Violation("(no vendor)", "(none)", r.method() + " " + r.rawPath(), "endpoint", "endpoint",
                        "no sandbox answers under this path", "(none)", "unknown");
                unrouted.add(v);
                ContractViolations.record(v);
            }
        }
        return target == null ? VendorStub.Reply.json(404, "{\"error\":\"no vendor sandbox under this path\"}") : target.answer(r);
    }

    /**
     * A responder that checks each request against the contract of the sandbox under its path (recording violations
     * as the sandbox would) and answers with {@code answer}: see {@link ContractSandbox#checking}.
     */
    public VendorStub.Responder checking(VendorStub.Responder answer) {
        return r -> {
            ContractSandbox target;
            synchronized (this) {
                target = target(r);
            }
            if (target != null) return target.checking(answer).answer(r);
            answer(r); // records the request no sandbox takes
            return answer.answer(r);
        };
    }

    /** The violations, removed here and from the test's record (see {@link ContractSandbox#takeViolations}). */
    public synchronized List<Violation> takeViolations() {
        List<Violation> all = new ArrayList<>(unrouted);
        ContractViolations.forget(unrouted);
        unrouted.clear();
        sandboxes.forEach(s -> all.addAll(s.takeViolations()));
        return all;
    }

    /** Every violation of every sandbox here, and the requests no sandbox took. */
    public synchronized List<Violation> violations() {
        List<Violation> all = new ArrayList<>(unrouted);
        sandboxes.forEach(s -> all.addAll(s.violations()));
        return all;
    }

    /** Empties every sandbox's state and violations. */
    public synchronized void reset() {
        unrouted.clear();
        sandboxes.forEach(ContractSandbox::reset);
    }
}
