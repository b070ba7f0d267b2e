package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** userDeletion at Gainsight PX (D48), against its sandbox: hard deletes, the body variant for ids that cannot sit in a path (D35). */
class GainsightPxDeletionTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    final List<Verdict> outcomes = Collections.synchronizedList(new ArrayList<>());

    void run(String body) {
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", stub.baseUrl() + "/v1");
        new GainsightPxHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"px-key\"}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, t, r, o) -> outcomes.add(o)))
                .handleRequest(SqsEvents.ofBodies(body), TestContext.of30Seconds());
    }

    @Test
    void eachUserIsHardDeleted_aSlashedIdThroughTheBodyVariant_anUnknownOneCountsAsDone_noProductTagKeyNeeded() {
        GainsightPxSandbox px = new GainsightPxSandbox().withUsers("user-1", "team/ada");
        stub.respond(px);

        run("{\"type\":\"userDeletion\",\"messageId\":\"d-1\",\"userAttributes\":[{\"userId\":\"user-1\"},{\"userId\":\"team/ada\"},{\"userId\":\"nobody\"}]}");

        assertThat(outcomes).extracting(Verdict::delivered).containsExactly(true);
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.rawPath() + "?" + r.rawQuery() + " " + r.body()).containsExactly(
                "DELETE /v1/users/user-1?hardDelete=true ",
                "DELETE /v1/users/delete?hardDelete=true {\"identifyId\":\"team/ada\"}",
                "DELETE /v1/users/nobody?hardDelete=true ");
        assertThat(px.hasUser("user-1")).isFalse();
        assertThat(px.hasUser("team/ada")).isFalse();
        assertThat(px.softlyDeleted("user-1")).as("hard: PX will not revive it").isFalse();
        assertThat(px.violations()).isEmpty();
    }
}
