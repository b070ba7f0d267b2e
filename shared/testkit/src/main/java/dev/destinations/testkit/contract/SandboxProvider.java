package dev.destinations.testkit.contract;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Makes a vendor's sandbox: one implementation per function module, in its test sources, named in its test
 * resources' {@code META-INF/services/dev.destinations.testkit.contract.SandboxProvider}; the module's test-jar
 * brings it to the tools. Looked up by the destination's slug: nothing lists the destinations.
 */
public interface SandboxProvider {
    /** The destination's slug (its {@code functions/<slug>} folder). */
    String slug();

    /** A new, empty sandbox answering under {@code prefix} (the raw path of the base URL the function is given). */
    ContractSandbox create(String prefix);

    /** The provider of this slug on the class path, or empty. */
    static Optional<SandboxProvider> forSlug(String slug) {
        return all().stream().filter(p -> p.slug().equals(slug)).findFirst();
    }

    static List<SandboxProvider> all() {
        return ServiceLoader.load(SandboxProvider.class, SandboxProvider.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
    }
}
