package dev.destinations.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;

/**
 * Each function's vendor sandbox, for the tools: found by the function's slug among the {@link SandboxProvider}s
 * the function modules' test-jars register (tools/common depends on them), so nothing lists the destinations.
 */
public final class VendorSandboxes {
    private VendorSandboxes() {}

    /**
     * A new, empty sandbox of this function's vendor, answering under the path {@link StubbedFunction#vendorBaseUrl}
     * gives the function with these settings.
     */
    public static ContractSandbox forFunction(Functions.Spec function, JsonNode settings) {
        SandboxProvider provider = SandboxProvider.forSlug(function.slug()).orElseThrow(() -> new IllegalStateException(
                "no vendor sandbox for " + function + ": functions/" + function.slug() + " registers its <Name>Sandbox as a "
                        + SandboxProvider.class.getName() + " in src/test/resources/META-INF/services"));
        return provider.create(StubbedFunction.vendorPrefix(function, settings));
    }
}
