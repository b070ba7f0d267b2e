package dev.destinations.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.custify.CustifyDestination;
import dev.destinations.custify.CustifyHandler;
import dev.destinations.delivery.Destination;
import dev.destinations.gainsightpx.GainsightPxDestination;
import dev.destinations.gainsightpx.GainsightPxHandler;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.usercom.UserComDestination;
import dev.destinations.usercom.UserComHandler;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The project's functions, for the tools: one row per Lambda in template.yaml. */
public final class Functions {
    /**
     * @param logicalId       the function's logical id in template.yaml
     * @param caseName        the {@code destination} field of conformance cases
     * @param destination     the destination's flows (for its reference base URL)
     * @param handler         builds the real handler on the given wiring
     */
    public record Spec(String logicalId, String caseName, Destination<?> destination,
                       Function<DestinationHandler.Wiring, DestinationHandler> handler) {

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
    }

    public static final List<Spec> ALL = List.of(
            new Spec("CustifyFunction", "custify", new CustifyDestination(), CustifyHandler::new),
            new Spec("GainsightPxFunction", "gainsight_px", new GainsightPxDestination(), GainsightPxHandler::new),
            new Spec("UserComFunction", "user", new UserComDestination(), UserComHandler::new));

    private Functions() {}

    public static Optional<Spec> byCaseName(String name) {
        return ALL.stream().filter(s -> s.caseName().equals(name)).findFirst();
    }

    public static Optional<Spec> byLogicalId(String id) {
        return ALL.stream().filter(s -> s.logicalId().equals(id)).findFirst();
    }

    /** By what a person types on a command line: the logical id, the module slug or the case name, any case. */
    public static Optional<Spec> byName(String name) {
        return ALL.stream().filter(s -> s.logicalId().equalsIgnoreCase(name) || s.destination().slug().equalsIgnoreCase(name)
                || s.caseName().equalsIgnoreCase(name)).findFirst();
    }

    /** {@link #byName}, or an exception naming the functions there are. */
    public static Spec named(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no function '" + name + "'; one of "
                + ALL.stream().map(s -> s.logicalId() + " (" + s.destination().slug() + ")").toList()));
    }
}
