package dev.destinations.lambda;

import dev.destinations.delivery.Destination;
import java.util.function.Function;

/**
 * One function of the project, as the tools and tests know it: declared once, in its own module, as a subclass
 * named in that module's {@code META-INF/services/dev.destinations.lambda.FunctionDescriptor}; the tools find
 * every function with {@link java.util.ServiceLoader} (tools/common's {@code Functions}), so no list of the
 * destinations is kept by hand outside the root pom's modules and template.yaml.
 *
 * <p>Nothing on a function's cold start path reads it: the Lambda runtime constructs the handler named in
 * template.yaml, which names its destination itself; only the tools and tests call {@code ServiceLoader}.
 */
public abstract class FunctionDescriptor {
    private final String logicalId;
    private final Destination<?> destination;
    private final Function<DestinationHandler.Wiring, DestinationHandler> handler;
    private final String sampleSettings;

    /**
     * @param logicalId      the function's logical id in template.yaml, e.g. {@code CustifyFunction}
     * @param destination    the destination's flows; its {@link Destination#slug()} is the module folder under
     *                       functions/ and the folder under events/
     * @param handler        builds the real handler on the given wiring
     * @param sampleSettings the least settings (RudderStack's names, JSON, an {@code apiKey} included) the
     *                       destination delivers an identify with
     */
    protected FunctionDescriptor(String logicalId, Destination<?> destination,
                                 Function<DestinationHandler.Wiring, DestinationHandler> handler, String sampleSettings) {
        this.logicalId = logicalId;
        this.destination = destination;
        this.handler = handler;
        this.sampleSettings = sampleSettings;
    }

    public final String logicalId() {
        return logicalId;
    }

    /** The module folder under functions/ (and under events/), e.g. {@code user-com}. */
    public final String slug() {
        return destination.slug();
    }

    /**
     * The reference's name of this destination: the {@code destination} field of its conformance cases
     * (../shared/conformance), the one place where it may differ from the slug (D41). Every tool keys by
     * {@link #slug()}; only bin/conformance reads this. A destination without a reference keeps the slug.
     */
    public String caseName() {
        return slug();
    }

    public final Destination<?> destination() {
        return destination;
    }

    public final DestinationHandler handler(DestinationHandler.Wiring wiring) {
        return handler.apply(wiring);
    }

    public final String sampleSettings() {
        return sampleSettings;
    }

    @Override
    public String toString() {
        return logicalId + " (" + slug() + ")";
    }
}
