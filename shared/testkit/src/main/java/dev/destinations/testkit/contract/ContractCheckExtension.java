package dev.destinations.testkit.contract;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which any vendor sandbox received a request that breaks its vendor's contract, naming each
 * violation (endpoint, field, rule, contract entry and source). Registered for every test of the build through
 * JUnit's extension auto-detection ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} here, and
 * {@code junit.jupiter.extensions.autodetection.enabled} in the root pom's surefire configuration). In
 * {@code contracts.mode=report} it only counts (see {@link ContractViolations}).
 */
public final class ContractCheckExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ContractCheckExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", ContractViolations.mark());
        ContractViolations.currentTest(context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer mark = context.getStore(NS).get("mark", Integer.class);
        List<Violation> found = ContractViolations.since(mark == null ? 0 : mark);
        ContractViolations.currentTest("(between tests)");
        if (found.isEmpty() || !ContractViolations.enforcing()) return;
        throw new AssertionError(found.size() + " request(s) broke a vendor contract:\n  "
                + found.stream().map(Violation::toString).distinct().collect(Collectors.joining("\n  ")));
    }
}
