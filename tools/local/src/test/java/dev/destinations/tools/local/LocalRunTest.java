package dev.destinations.tools.local;

import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's main job ({@code bin/local-run --failure-rate 0.3}): retries shown as they happen, every message settled. */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class LocalRunTest {
    @Test
    void failureRate_everyMessageSettles_withProgressLines_andReturnsZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = LocalRun.run(Path.of("..", "..", "events"), 0.3, new PrintStream(out, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains(" retried ").contains(".. batch of ").contains("0 not settled").contains("reason=invalid_event")
                .contains(", 0 request(s) broke a vendor contract");
    }
}
