package dev.destinations.testkit;

import dev.destinations.testkit.contract.ContractSandbox;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link VendorStub} for a test class: started once, reset before each test (no requests; answered by the
 * vendor's sandbox, emptied, or {@code 200 {}} without one), stopped after the class. Use as
 * {@code @RegisterExtension static final VendorStubExtension stub = new VendorStubExtension(sandbox);} and call the
 * stub's methods on it; a test may still {@link #respond} otherwise (faults) for itself.
 */
public final class VendorStubExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final ContractSandbox sandbox;
    private VendorStub stub;

    /** A stub answering {@code 200 {}} to anything: for tests of the delivery machinery, not of a vendor's flows. */
    public VendorStubExtension() {
        this(null);
    }

    /** A stub answered by this vendor sandbox (prefix {@code ""}: give the function the stub's root as its base URL). */
    public VendorStubExtension(ContractSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stub = VendorStub.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stub.close();
    }

    public String baseUrl() {
        return stub.baseUrl();
    }

    /** The stub itself, for helpers that take one (StubbedFunction). */
    public VendorStub stub() {
        return stub;
    }

    public VendorStub respond(VendorStub.Responder responder) {
        return stub.respond(responder);
    }

    public List<VendorStub.Recorded> requests() {
        return stub.requests();
    }

    /** No requests, and the sandbox emptied and answering again (or {@code 200 {}} without one). */
    public void reset() {
        stub.reset();
        if (sandbox != null) {
            sandbox.reset();
            stub.respond(sandbox);
        }
    }
}
