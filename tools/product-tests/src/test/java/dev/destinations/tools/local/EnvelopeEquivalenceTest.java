package dev.destinations.tools.local;

import dev.destinations.tools.local.VendorSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import dev.destinations.tools.Functions;
import dev.destinations.tools.StubbedFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * D18/D19 through every function's real handler: each sample event of events/<slug>/, wrapped in an SNS
 * Notification, an EventBridge event, both nested either way, or a batch of one, gets exactly the outcome and the
 * vendor requests it gets alone.
 */
class EnvelopeEquivalenceTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    static final Path EVENTS = Path.of("..", "..", "events");

    static final Map<String, UnaryOperator<String>> WRAPPERS = Map.of(
            "sns", SqsEvents::snsNotification,
            "eventBridge", SqsEvents::eventBridgeEvent,
            "sns(eventBridge)", b -> SqsEvents.snsNotification(SqsEvents.eventBridgeEvent(b)),
            "eventBridge(sns)", b -> SqsEvents.eventBridgeEvent(SqsEvents.snsNotification(b)),
            "batchOfOne", b -> "{\"batch\":[" + b + "]}",
            "sns(array)", b -> SqsEvents.snsNotification("[" + b + "]"));

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    private record Run(String result, String reason, String detail, List<String> requests) {}

    private static Run run(Functions.Spec function, JsonNode settings, String body) {
        stub.reset();
        VendorSandbox.serve(stub.stub(), function, settings); // a fresh sandbox: the same ids for every envelope
        StubbedFunction f = StubbedFunction.create(function, settings, stub.stub(), Map.of("DELIVERY_CONCURRENCY", "1"));
        List<StubbedFunction.Settled> settled = f.invoke(SqsEvents.ofBodies(body));
        assertThat(settled).hasSize(1);
        var o = settled.get(0).outcome();
        List<String> requests = stub.requests().stream().map(r -> r.method() + " " + r.rawPath() + "?" + r.rawQuery() + " " + r.headers() + " " + r.body()).toList();
        return new Run(settled.get(0).result().code(), o.reason() == null ? null : o.reason().code(), o.detail(), requests);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyEnvelope_givesTheOutcomeAndRequestsOfTheEventAlone(Functions.Spec function) throws Exception {
        Path dir = EVENTS.resolve(function.destination().slug());
        var settings = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
                SamTemplate.envVars(dir.resolve("env.json"), function.logicalId()).get("DESTINATION_SETTINGS"));
        if (!settings.has("apiKey")) settings.put("apiKey", "equivalence-key");
        List<String> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> !p.getFileName().toString().equals("env.json")).sorted().toList()) {
                for (String body : LocalRun.bodies(file)) {
                    JsonNode parsed;
                    try {
                        parsed = Json.parse(body);
                    } catch (java.io.IOException notJson) {
                        continue; // malformed.json: an envelope of it is reported as what it is, not the same
                    }
                    if (parsed.isObject() && parsed.has("type")) events.add(body);
                }
            }
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(3);
        for (String event : events) {
            Run alone = run(function, settings, event);
            assertThat(alone.requests()).as("%s makes vendor calls", event).isNotEmpty();
            WRAPPERS.forEach((name, wrap) -> assertThat(run(function, settings, wrap.apply(event))).as(name + " of " + event).isEqualTo(alone));
        }
    }
}
