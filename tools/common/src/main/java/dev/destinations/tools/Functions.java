package dev.destinations.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Destination;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.FunctionDescriptor;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The project's functions, for the tools: one row per Lambda in template.yaml, found on the class path by the
 * {@link FunctionDescriptor} each function module declares (its {@code META-INF/services}). No list is kept here:
 * a function module on the class path (tools/common depends on every one) is a function of the tools.
 *
 * <p>{@code main} prints them, one a line ({@code <slug> <logical id> <case name>}), for the bin/ scripts.
 */
public final class Functions {
    /**
     * @param logicalId       the function's logical id in template.yaml
     * @param caseName        the {@code destination} field of conformance cases (bin/conformance only; the tools key by slug)
     * @param destination     the destination's flows (for its reference base URL)
     * @param handler         builds the real handler on the given wiring
     * @param sampleSettings  the least settings the destination delivers with (JSON text, an apiKey included): the
     *                        settings every cross-function test and tool uses
     */
    public record Spec(String logicalId, String caseName, Destination<?> destination,
                       Function<DestinationHandler.Wiring, DestinationHandler> handler, String sampleSettings) {

        static Spec of(FunctionDescriptor d) {
            return new Spec(d.logicalId(), d.caseName(), d.destination(), d::handler, d.sampleSettings());
        }

        /** Whether the destination delivers this type (D12): the one list of types every tool sends. */
        public boolean handles(dev.destinations.mapping.EventType type) {
            return destination.handledTypes().contains(type);
        }

        /** The module folder under functions/ and events/. */
        public String slug() {
            return destination.slug();
        }

        /**
         * Whether the destination deduplicates this type with these settings ({@code Destination.deduplicates}: the one
         * declaration of the non-idempotent writes, D40); false for settings it cannot use.
         */
        public boolean deduplicates(dev.destinations.mapping.EventType type, JsonNode settings) {
            return deduplicates(destination, type, settings);
        }

        private static <S> boolean deduplicates(Destination<S> d, dev.destinations.mapping.EventType type, JsonNode settings) {
            try {
                return d.deduplicates(type, d.settings(settings));
            } catch (RuntimeException unusable) {
                return false;
            }
        }

        /** The vendor base URL the destination uses with these settings and no override, or empty when the settings are unusable. */
        public Optional<String> referenceBaseUrl(JsonNode settings) {
            return Optional.ofNullable(baseUrl(destination, settings));
        }

        private static <S> String baseUrl(Destination<S> d, JsonNode settings) {
            try {
                return d.baseUrl(d.settings(settings), null);
            } catch (RuntimeException unusable) {
                return null;
            }
        }

        @Override
        public String toString() {
            return logicalId + " (" + slug() + ")";
        }
    }

    /** Every function on the class path, by logical id. */
    public static final List<Spec> ALL = discover();

    private Functions() {}

    private static List<Spec> discover() {
        List<Spec> all = ServiceLoader.load(FunctionDescriptor.class, Functions.class.getClassLoader()).stream()
                .map(p -> Spec.of(p.get())).sorted(Comparator.comparing(Spec::logicalId)).toList();
        if (all.isEmpty()) {
            throw new IllegalStateException("no function on the class path: each functions/<slug> module declares a "
                    + FunctionDescriptor.class.getName() + " in META-INF/services");
        }
        for (Spec s : all) {
            if (all.stream().filter(o -> o.logicalId().equals(s.logicalId()) || o.slug().equals(s.slug())
                    || o.caseName().equals(s.caseName())).count() > 1) {
                throw new IllegalStateException("two function descriptors share a name with " + s + ": " + all);
            }
        }
        return all;
    }

    public static Optional<Spec> byCaseName(String name) {
        return ALL.stream().filter(s -> s.caseName().equals(name)).findFirst();
    }

    public static Optional<Spec> byLogicalId(String id) {
        return ALL.stream().filter(s -> s.logicalId().equals(id)).findFirst();
    }

    /** By what a person types on a command line: the logical id, the module slug or the case name, any case. */
    public static Optional<Spec> byName(String name) {
        return ALL.stream().filter(s -> s.logicalId().equalsIgnoreCase(name) || s.slug().equalsIgnoreCase(name)
                || s.caseName().equalsIgnoreCase(name)).findFirst();
    }

    /** {@link #byName}, or an exception naming the functions there are. */
    public static Spec named(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no function '" + name + "'; one of "
                + ALL.stream().map(Spec::toString).collect(Collectors.joining(", "))));
    }

    /** Prints every function, one a line: {@code <slug> <logical id> <case name>} (bin/cold-start reads it). */
    public static void main(String[] args) {
        for (Spec s : ALL) System.out.println(s.slug() + " " + s.logicalId() + " " + s.caseName());
    }
}
