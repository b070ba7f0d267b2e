package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.mapping.Json;
import dev.destinations.testkit.contract.ContractSandbox;
import org.junit.jupiter.api.Test;

class VendorSandboxesTest {
    /** Every function on the class path has its vendor's sandbox, under the prefix its stubbed base URL gets. */
    @Test
    void everyFunctionHasASandbox_underItsStubbedPrefix() throws Exception {
        for (Functions.Spec f : Functions.ALL) {
            var settings = Json.parse(f.sampleSettings());
            ContractSandbox sandbox = VendorSandboxes.forFunction(f, settings);
            assertThat(sandbox.prefix()).as(f.toString()).isEqualTo(StubbedFunction.vendorPrefix(f, settings)).startsWith("/").doesNotContain("://");
            assertThat(sandbox.contract().endpoints()).as(f + " contract").isNotEmpty();
        }
    }
}
