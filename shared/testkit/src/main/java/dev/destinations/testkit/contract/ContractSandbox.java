package dev.destinations.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.destinations.testkit.VendorStub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The base of a vendor's stateful sandbox: a {@link VendorStub.Responder} that checks each request against the
 * vendor's {@link VendorContract} first. A request that breaks it is recorded (the sending test fails, see
 * {@link ContractCheckExtension}) and answered with the vendor's error body naming the field: 400 for a field, 401
 * for a header, 404 for an endpoint the contract does not list. A request that only sends read-only fields is
 * recorded too, and served without them, as the vendor ignores them. Everything else is served by the subclass from
 * its state ({@link #serve}), by endpoint name.
 *
 * <p>One sandbox per vendor, in the function module's test sources, found through {@link SandboxProvider}.
 * Requests are answered one at a time (the state needs no locking of its own).
 */
public abstract class ContractSandbox implements VendorStub.Responder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A request the contract accepts.
     *
     * @param endpoint the contract entry's name
     * @param ids      the path's ids, percent-decoded
     * @param query    the query parameters, percent-decoded
     * @param body     the JSON body without read-only fields, or null
     * @param request  the request as recorded
     */
    public record Call(String endpoint, Map<String, String> ids, Map<String, String> query, JsonNode body, VendorStub.Recorded request) {
        public String id(String name) {
            return ids.get(name);
        }
    }

    private final VendorContract contract;
    private final String prefix;
    private final List<Violation> violations = new ArrayList<>();
    private final java.util.ArrayDeque<Integer> failures = new java.util.ArrayDeque<>();
    private volatile boolean presumeExisting;

    /**
     * @param prefix the raw path of the base URL the function is given, e.g. {@code /api.custify.com} behind
     *               {@code StubbedFunction}, or {@code ""} when the base URL is the stub's root
     */
    protected ContractSandbox(VendorContract contract, String prefix) {
        this.contract = contract;
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public VendorContract contract() {
        return contract;
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public final synchronized VendorStub.Reply answer(VendorStub.Recorded r) {
        List<Violation> found = contract.check(r, prefix);
        for (Violation v : found) {
            violations.add(v);
            ContractViolations.record(v);
        }
        Optional<Violation> rejecting = found.stream().filter(v -> !v.rule().equals("readOnly")).findFirst();
        Optional<VendorContract.Match> match = r.rawPath().startsWith(prefix)
                ? contract.match(r.method(), r.rawPath().substring(prefix.length())) : Optional.empty();
        if (rejecting.isPresent() && ContractViolations.enforcing()) return rejection(rejecting.get());
        if (!failures.isEmpty()) {
            int status = failures.poll();
            return contract.error(status, "", "sandbox: programmed " + status);
        }
        if (match.isEmpty()) return contract.error(404, "endpoint", "not found");
        VendorContract.Endpoint e = match.get().endpoint();
        JsonNode body = null;
        if (!r.body().isBlank()) {
            try {
                body = VendorContract.withoutReadOnly(e.body(), MAPPER.readTree(r.body()));
            } catch (IOException notJson) {
                body = null;
            }
        }
        return serve(new Call(e.name(), match.get().ids(), r.query(), body, r));
    }

    /**
     * A responder that checks each request against this sandbox's contract (recording violations, so the test fails
     * as with the sandbox itself) and then answers with {@code answer}: for a test that programs the vendor's
     * answers (faults, echoes) but still sends only requests the vendor accepts.
     */
    public VendorStub.Responder checking(VendorStub.Responder answer) {
        return r -> {
            synchronized (this) {
                for (Violation v : contract.check(r, prefix)) {
                    violations.add(v);
                    ContractViolations.record(v);
                }
            }
            return answer.answer(r);
        };
    }

    /** Serves a request the contract accepts, from the sandbox's state. */
    protected abstract VendorStub.Reply serve(Call call);

    /** Forgets the state (users, companies, events...). */
    protected abstract void clearState();

    /**
     * The next {@code times} valid requests are answered with the vendor's error for {@code status} (its body and
     * headers from the contract, e.g. 429 with Retry-After), then serving resumes.
     */
    public synchronized ContractSandbox failNext(int status, int times) {
        for (int i = 0; i < times; i++) failures.add(status);
        return this;
    }

    /**
     * On: a lookup or update of a user, company or account the sandbox has not seen finds one, created on the spot
     * (the local tools' vendor, where every flow should run to its final request, as against a vendor that knows
     * everyone). Off (the default): unknown is a 404, as at the vendor.
     */
    public ContractSandbox presumeExisting(boolean on) {
        this.presumeExisting = on;
        return this;
    }

    /** Whether unknown ids are to be found (created on the spot) rather than answered 404; see {@link #presumeExisting}. */
    protected boolean presumesExisting() {
        return presumeExisting;
    }

    /** Forgets the state, the violations and programmed failures. */
    public final synchronized void reset() {
        failures.clear();
        violations.clear();
        clearState();
    }

    /** The violations this sandbox recorded. */
    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** The violations, removed here and from the test's record: for a test that sends a breaking request on purpose. */
    public synchronized List<Violation> takeViolations() {
        List<Violation> taken = List.copyOf(violations);
        violations.clear();
        ContractViolations.forget(taken);
        return taken;
    }

    /** The vendor's error answer for a status, naming a field (from the contract's {@code errors}). */
    protected VendorStub.Reply error(int status, String field, String message) {
        return contract.error(status, field, message);
    }

    /** A JSON answer. */
    protected static VendorStub.Reply json(int status, JsonNode body) {
        return VendorStub.Reply.json(status, body.toString());
    }

    protected static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private VendorStub.Reply rejection(Violation v) {
        int status = v.field().startsWith("header.") ? 401 : v.rule().equals("endpoint") ? 404 : contract.validationStatus();
        String field = v.field().replaceFirst("^(body|query|path|header)\\.", "");
        return contract.error(status, field, field + ": " + v.rule() + (v.detail().isEmpty() ? "" : " (" + v.detail() + ")"));
    }
}
