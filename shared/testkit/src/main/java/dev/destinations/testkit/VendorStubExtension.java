package dev.destinations.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link VendorStub} for a test class: started once, reset (no requests, answers {@code 200 {}}) before each
 * test, stopped after the class. Use as {@code @RegisterExtension static final VendorStubExtension stub = new
 * VendorStubExtension();} and call the stub's methods on it.
 */
public final class VendorStubExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private VendorStub stub;

    @Override
    public void beforeAll(ExtensionContext context) {
        stub = VendorStub.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stub.reset();
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

    public void reset() {
        stub.reset();
    }
}
