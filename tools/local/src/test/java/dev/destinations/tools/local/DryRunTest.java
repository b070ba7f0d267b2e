package dev.destinations.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/local dry-run} on the events/ files: the real handler's requests, as the vendor would receive them,
 * answered by the sandbox; the API key never printed; nothing sent to AWS (the DLQ and secret are in-memory fakes).
 */
class DryRunTest {
    static final Path ROOT = Path.of("..", "..");

    /** Every function (found by its descriptor) on its events/ identify file: what every dry run must show. */
    static Stream<Arguments> files() {
        return Functions.ALL.stream().map(f -> Arguments.of(f.logicalId(), "events/" + f.slug() + "/identify.json",
                apiKeyOf(f), List.of("  1. ", " ****")));
    }

    /** Two vendors' requests, line by line: one a single write, one a lookup and then the write. */
    static Stream<Arguments> exactRequests() {
        return Stream.of(
                Arguments.of("CustifyFunction", "events/custify/identify.json", "dry-run-key",
                        List.of("1. POST https://api.custify.com/people", "authorization: Bearer ****", "\"user_id\" : \"user-42\"")),
                Arguments.of("UserComFunction", "events/user-com/page.json", "local-test-key",
                        List.of("1. GET https://acme.user.com/api/public/users-by-id/user-42/", "2. POST https://acme.user.com/api/public/site-views/",
                                "authorization: Token ****", "\"page_path\" : \"/pricing\"")));
    }

    /** The key the dry run uses: the apiKey of the function's events/ settings, else DryRun's dummy one. */
    static String apiKeyOf(Functions.Spec f) {
        try {
            String settings = SamTemplate.envVars(ROOT.resolve("events").resolve(f.slug()).resolve("env.json"), f.logicalId())
                    .getOrDefault("DESTINATION_SETTINGS", "{}");
            String key = dev.destinations.mapping.Json.parse(settings).path("apiKey").asText("");
            return key.isEmpty() ? DryRun.DEFAULT_API_KEY : key;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource({"files", "exactRequests"})
    void eventsFile_printsTheVendorRequestsWithTheKeyMasked_andSendsNothingElse(String function, String file, String apiKey, List<String> expected)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DryRun.Report report = DryRun.run(ROOT, Functions.named(function), Files.readString(ROOT.resolve(file)), null,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(expected).contains("=> delivered").doesNotContain(apiKey);
        assertThat(report.messages()).singleElement().satisfies(m -> assertThat(m.result()).isEqualTo(Outcome.DELIVERED));
        long printedRequests = printed.lines().filter(l -> l.matches("  \\d+\\. [A-Z]+ https://.*")).count();
        assertThat(printedRequests).as("every request the sandbox received is printed, and only those")
                .isEqualTo(report.vendorRequests()).isEqualTo(report.messages().get(0).requests().size()).isPositive();
        assertThat(report.dlqSends()).isZero();
        assertThat(report.messages().get(0).requests()).allSatisfy(r -> assertThat(r.headers().values()).noneMatch(v -> v.contains(apiKey)));
    }

    @Test
    void bareEventWithGivenSettings_usesThemAndReportsAMissingRequiredSetting() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DryRun.Report report = DryRun.run(ROOT, Functions.named("user-com"), "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"E\"}",
                Json.parse("{\"apiKey\":\"secret-123\"}"), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(report.vendorRequests()).isZero();
        assertThat(report.messages()).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("dry-run-1");
            assertThat(m.result()).isEqualTo(Outcome.RETRIED);
            assertThat(m.outcome().reason().code()).isEqualTo("configuration");
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("settings from --settings").doesNotContain("secret-123");
    }

    @Test
    void batchSample_printsOneResultPerInnerEvent_withItsOwnRequests_D19() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DryRun.Report report = DryRun.run(ROOT, Functions.named("custify"), Files.readString(ROOT.resolve("events/custify/batch.json")), null,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(report.messages()).extracting(DryRun.Message::messageId).containsExactly(
                "0e1c2b5a-1d1e-4a38-9a1b-000000000008#1", "0e1c2b5a-1d1e-4a38-9a1b-000000000008#2", "0e1c2b5a-1d1e-4a38-9a1b-000000000008#3");
        assertThat(report.messages()).allSatisfy(m -> assertThat(m.result()).isEqualTo(Outcome.DELIVERED));
        assertThat(report.messages().get(1).requests()).extracting(DryRun.Request::url).containsExactly("https://api.custify.com/event");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dry run: 3 event(s) in 1 message(s), 3 would be delivered");
    }

    @Test
    void malformedSqsEvent_wouldBeParked_withoutAnyVendorRequest() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DryRun.Report report = DryRun.run(ROOT, Functions.named("custify"), Files.readString(ROOT.resolve("events/custify/malformed.json")), null,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(report.vendorRequests()).isZero();
        assertThat(report.dlqSends()).as("parked in the in-memory DLQ only").isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("=> parked (would go to the DLQ with reason invalid_event)");
    }
}
