package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.Reason;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SnapStart priming of each real function exercises its flows offline: no program error, something delivered. */
class PrimingTest {
    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void priming_runsTheRealFlowsOffline(Functions.Spec function) {
        FixedSecret secret = FixedSecret.of("{\"apiKey\":\"k\"}");
        DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(
                Map.of("DESTINATION_SETTINGS", function.sampleSettings(), "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq"),
                new InMemorySqs(), secret, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));

        List<Verdict> primed = handler.prime();

        assertThat(primed).noneSatisfy(o -> assertThat(o.reason()).isEqualTo(Reason.INTERNAL_ERROR));
        assertThat(primed).filteredOn(Verdict::delivered).hasSizeGreaterThanOrEqualTo(2);
        assertThat(secret.reads).hasValue(0);
    }
}
