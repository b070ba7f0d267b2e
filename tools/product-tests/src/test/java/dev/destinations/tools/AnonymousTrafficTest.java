package dev.destinations.tools;

import dev.destinations.tools.local.VendorSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.VendorStubExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * D20 through each function's real handler, for every type it handles (its descriptor's {@code handledTypes()}, its
 * sample settings): a track or page that names no one is skipped as {@code unidentified} (no call, nothing in the
 * DLQ, the destination's message as the detail); an identify or group without identity stays a parked validation
 * failure. The destinations' own messages are asserted in their modules' tests.
 */
class AnonymousTrafficTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static final String CONTEXT = "\"context\":{\"page\":{\"url\":\"https://a.example/p\",\"path\":\"/p\"}},\"timestamp\":\"2026-12-01T06:53:59Z\"";
    /** type -> a body of that type without any identity, and how it must end */
    static final Map<EventType, List<String>> NO_IDENTITY = Map.of(
            EventType.TRACK, List.of("{\"type\":\"track\",\"event\":\"E\"," + CONTEXT + "}", "skipped", "unidentified"),
            EventType.PAGE, List.of("{\"type\":\"page\",\"name\":\"Home\"," + CONTEXT + "}", "skipped", "unidentified"),
            EventType.IDENTIFY, List.of("{\"type\":\"identify\",\"traits\":{\"firstName\":\"A\"}," + CONTEXT + "}", "parked", "validation"),
            EventType.GROUP, List.of("{\"type\":\"group\",\"groupId\":\"g-1\",\"traits\":{\"name\":\"Acme\"}," + CONTEXT + "}", "parked", "validation"));

    static Stream<Arguments> cases() {
        return Functions.ALL.stream().flatMap(f -> NO_IDENTITY.keySet().stream().filter(f::handles).sorted().map(t -> Arguments.of(f, t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void noIdentity(Functions.Spec function, EventType type) throws Exception {
        List<String> c = NO_IDENTITY.get(type);
        String result = c.get(1);
        VendorSandbox.serve(stub.stub(), function, Json.parse(function.sampleSettings()));
        StubbedFunction f = StubbedFunction.create(function, Json.parse(function.sampleSettings()), stub.stub(), Map.of());
        List<StubbedFunction.Settled> settled = f.invoke(SqsEvents.ofBodies(c.get(0)));

        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.result()).isEqualTo(Outcome.valueOf(result.toUpperCase()));
            assertThat(s.outcome().reason().code()).isEqualTo(c.get(2));
            assertThat(s.outcome().detail()).as("the destination's message").isNotBlank();
        });
        assertThat(stub.requests()).as("no vendor call").isEmpty();
        assertThat(f.sqs().sent).as("the DLQ").hasSize(result.equals("parked") ? 1 : 0);
        if (result.equals("skipped")) assertThat(f.logs()).contains("\"reason\":\"unidentified\"").contains("\"Reason\":\"unidentified\"");
    }
}
