package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.Sandboxes;
import dev.destinations.testkit.contract.Violation;
import dev.destinations.tools.Functions;
import dev.destinations.tools.StubbedFunction;
import dev.destinations.tools.VendorSandboxes;
import java.util.List;
import java.util.Random;

/**
 * The local stand-in for every vendor on one {@link VendorStub}: each function's vendor sandbox (its contract and
 * state, found by slug: {@link VendorSandboxes}) under the path its base URL gets, so a request that breaks a
 * vendor's contract is answered as the vendor would and listed by {@link #violations}. Lookups of someone the
 * sandbox has not seen find a record, created on the spot ({@code presumeExisting}), so each flow runs to its final
 * request, as against a vendor that knows everyone. A seeded failure rate injects
 * 503s and 429s (with Retry-After) in front of them to show retries; 0 by default.
 */
public final class VendorSandbox implements VendorStub.Responder {
    private final Sandboxes sandboxes = new Sandboxes().presumeExisting(true);
    private final java.util.Map<ContractSandbox, String> slugs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Random random;
    private final double failureRate;

    public VendorSandbox(double failureRate, long seed) {
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    /** Adds the function's vendor and returns the {@code VENDOR_BASE_URL} that sends the function to it. */
    public String add(Functions.Spec function, JsonNode settings, String stubBaseUrl) {
        ContractSandbox sandbox = VendorSandboxes.forFunction(function, settings);
        slugs.put(sandbox, function.slug());
        sandboxes.add(sandbox);
        return StubbedFunction.vendorBaseUrl(function, settings, stubBaseUrl);
    }

    @Override
    public VendorStub.Reply answer(VendorStub.Recorded request) {
        if (failureRate > 0) {
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < failureRate / 2) return VendorStub.Reply.json(503, "{\"error\":\"sandbox: injected outage\"}");
            if (roll < failureRate) return VendorStub.Reply.json(429, "{\"error\":\"sandbox: injected throttle\"}").withHeader("Retry-After", "1");
        }
        return sandboxes.answer(request);
    }

    /**
     * The function's vendor sandbox alone on {@code stub} (unknown ids found, no failures): the stub answers with it,
     * and the returned {@code VENDOR_BASE_URL} sends the function there.
     */
    public static String serve(VendorStub stub, Functions.Spec function, JsonNode settings) {
        VendorSandbox sandbox = new VendorSandbox(0, 1);
        String baseUrl = sandbox.add(function, settings, stub.baseUrl());
        stub.respond(sandbox);
        return baseUrl;
    }

    /** The sandbox that answers under this function's base URL: the last one added for it. */
    public ContractSandbox of(Functions.Spec function) {
        String slug = function.slug();
        return sandboxes.all().stream().filter(s -> slug.equals(slugs.get(s))).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException("no sandbox added for " + function));
    }

    /** Checks each request against its vendor's contract, then answers with {@code answer} ({@link Sandboxes#checking}). */
    public VendorStub.Responder checking(VendorStub.Responder answer) {
        return sandboxes.checking(answer);
    }

    /** The violations so far, taken: for a test whose input may make requests a vendor rejects (hostile events). */
    public List<Violation> takeViolations() {
        return sandboxes.takeViolations();
    }

    /** Whether one of these vendors answers under this request's path. */
    public boolean takes(VendorStub.Recorded request) {
        return sandboxes.takes(request);
    }

    /** Every request that broke a vendor's contract so far (or went to no vendor). */
    public List<Violation> violations() {
        return sandboxes.violations();
    }
}
