package dev.destinations.tools;

import dev.destinations.tools.local.VendorSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.VendorStubExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * D20 through each function's real handler: a track or page that names no one the destination accepts is skipped as
 * {@code unidentified} (no call, nothing in the DLQ, the reference's message as the detail); an identify or group
 * without identity stays a parked validation failure.
 */
class AnonymousTrafficTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static final Map<String, String> SETTINGS = Map.of(
            "custify", "{\"apiKey\":\"k\",\"sendAnonymousId\":false}",
            "user", "{\"apiKey\":\"k\",\"appSubdomain\":\"acme\"}",
            "gainsight_px", "{\"apiKey\":\"k\",\"productTagKey\":\"AP-TEST-1\"}");
    static final String PAGE_CONTEXT = "\"context\":{\"page\":{\"url\":\"https://a.example/p\",\"path\":\"/p\"}},\"timestamp\":\"2026-12-01T06:53:59Z\"";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "custify      | anonymous track                 | {\"type\":\"track\",\"anonymousId\":\"a-1\",\"event\":\"E\",\"timestamp\":\"2026-12-01T06:53:59Z\"} | skipped | unidentified | Email or userId is mandatory",
            "custify      | anonymous identify              | {\"type\":\"identify\",\"anonymousId\":\"a-1\"}                                                   | parked  | validation   | Email or userId is mandatory",
            "user         | anonymous page                  | {\"type\":\"page\",\"anonymousId\":\"a-1\",PAGE}                                                     | skipped | unidentified | Default lookup field : email value is empty",
            "user         | track, email lookup, no email   | {\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\",\"integrations\":{\"user\":{\"lookup\":\"email\"}}} | skipped | unidentified | Lookup field : email value is not present",
            "user         | anonymous identify              | {\"type\":\"identify\",\"traits\":{\"firstName\":\"A\"}}                                          | parked  | validation   | Default lookup field : email value is empty",
            "gainsight_px | track without any id            | {\"type\":\"track\",\"event\":\"E\"}                                                              | skipped | unidentified | Missing required value from",
            "gainsight_px | identify without any id         | {\"type\":\"identify\",\"traits\":{\"email\":\"x@example.com\"}}                                  | parked  | validation   | userId or anonymousId is required for identify"})
    void noIdentity(String function, String label, String body, String result, String reason, String detail) throws Exception {
        Functions.Spec spec = Functions.byCaseName(function).orElseThrow();
        VendorSandbox.serve(stub.stub(), spec, Json.parse(SETTINGS.get(function)));
        StubbedFunction f = StubbedFunction.create(spec, Json.parse(SETTINGS.get(function)), stub.stub(), Map.of());
        List<StubbedFunction.Settled> settled = f.invoke(SqsEvents.ofBodies(body.replace("PAGE}", PAGE_CONTEXT + "}")));

        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.result()).isEqualTo(Outcome.valueOf(result.toUpperCase()));
            assertThat(s.outcome().reason().code()).isEqualTo(reason);
            assertThat(s.outcome().detail()).startsWith(detail);
        });
        assertThat(stub.requests()).as("no vendor call").isEmpty();
        assertThat(f.sqs().sent).as("the DLQ").hasSize(result.equals("parked") ? 1 : 0);
        if (result.equals("skipped")) assertThat(f.logs()).contains("\"reason\":\"unidentified\"").contains("\"Reason\":\"unidentified\"");
    }
}
