package dev.destinations.tools.local;

import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CI-sized fault run (bin/fault-run runs 1,000 messages): real SQS semantics on moto_server, a vendor failing
 * at a seeded rate with every fault kind and an outage; nothing is lost.
 */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class FaultRunTest {
    @Test
    void faultyVendorAndAnOutage_everyMessageIsDeliveredOrParkedWithAReason_noneLost() throws Exception {
        FaultRun.Report r = FaultRun.run(java.nio.file.Path.of("..", "events"), 90, 5, Duration.ofSeconds(2), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(r.published()).isEqualTo(90);
        assertThat(r.lost()).isZero();
        assertThat(r.dlqWithoutReason()).as("every DLQ message carries its reason").isZero();
        assertThat(r.delivered() + r.parked()).isEqualTo(90);
        assertThat(r.parkedByReason()).containsKey("invalid_event");
        assertThat(r.retriedAttempts()).as("the faults were felt").isPositive();
        assertThat(r.injected()).containsKeys("500", "503", "outage 503");
    }
}
