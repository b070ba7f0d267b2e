package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.TestDestination;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The batch contract: every message ends delivered, skipped, parked or retried, never lost and never thrown. */
class BatchRunnerTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    InMemorySqs sqs;
    ByteArrayOutputStream out;
    Map<String, String> env;

    static final class Handler extends DestinationHandler {
        Handler(Wiring w) {
            super(new TestDestination(), w);
        }
    }

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        out = new ByteArrayOutputStream();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:secret", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", stub.baseUrl(), "MAX_RECEIVE_COUNT", "5", "RETRY_BASE_SECONDS", "10", "RETRY_MAX_SECONDS", "900"));
    }

    private Handler handler() {
        return new Handler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"key-abc-123\"}"),
                new PrintStream(out, true, StandardCharsets.UTF_8), null));
    }

    private static String track(String user, String action) {
        return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"traits\":{\"email\":\"" + user + "@example.com\"},\"properties\":{\"action\":\"" + action + "\"}}";
    }

    private List<JsonNode> logLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(Json.parse(l));
        return lines;
    }

    private static String attr(SendMessageRequest r, String name) {
        return r.messageAttributes().get(name).stringValue();
    }

    @Test
    void mixedBatch_eachMessageEndsInExactlyOneOutcome() throws Exception {
        stub.respond(r -> r.body().contains("u-down") ? VendorStub.Reply.json(503, "{}") : VendorStub.Reply.json(200, "{}"));
        SQSEvent event = SqsEvents.ofBodies(track("u-1", "deliver"), "{\"type\":\"page\"}", "garbage", track("u-down", "deliver"),
                track("u-2", "validate"));

        SQSBatchResponse response = handler().handleRequest(event, TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m4");
        assertThat(sqs.sent).extracting(r -> attr(r, "reason")).containsExactlyInAnyOrder("invalid_event", "validation");
        SendMessageRequest parked = sqs.sent.stream().filter(r -> attr(r, "reason").equals("validation")).findFirst().orElseThrow();
        assertThat(parked.messageBody()).isEqualTo(track("u-2", "validate"));
        assertThat(attr(parked, "detail")).isEqualTo("Bad value");
        assertThat(attr(parked, "destination")).isEqualTo("test");
        assertThat(attr(parked, "original_message_id")).isEqualTo("m5");
        assertThat(attr(parked, "receive_count")).isEqualTo("1");
        assertThat(attr(parked, "first_received")).isEqualTo(SqsEvents.FIRST_RECEIVED_ISO);
        assertThat(sqs.visibilityOf("rh-m4")).isBetween(5, 10);
        List<JsonNode> lines = logLines().stream().filter(l -> l.has("outcome")).toList();
        assertThat(lines).extracting(l -> l.get("message_id").asText() + "=" + l.get("outcome").asText())
                .containsExactlyInAnyOrder("m1=delivered", "m2=skipped", "m3=parked", "m4=retried", "m5=parked");
    }

    private Handler handler(BatchRunner.Listener extra) {
        return new Handler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"key-abc-123\"}"),
                new PrintStream(out, true, StandardCharsets.UTF_8), extra));
    }

    private List<String> outcomeLines() throws Exception {
        return logLines().stream().filter(l -> l.has("outcome"))
                .map(l -> l.get("message_id").asText() + "=" + l.get("outcome").asText() + l.path("reason").asText("")).toList();
    }

    @Test
    void anErrorThrownForOneUser_retriesThatUsersMessages_asInternalError_whileAnotherUsersIsDelivered() throws Exception {
        stub.respond(r -> VendorStub.Reply.json(200, "{}"));
        SQSEvent event = SqsEvents.ofBodies(track("u-1", "error"), track("u-2", "deliver"), track("u-1", "deliver"));

        SQSBatchResponse response = handler().handleRequest(event, TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .as("the thrower and the user's later message, never acknowledged").containsExactly("m1", "m3");
        assertThat(outcomeLines()).containsExactlyInAnyOrder("m1=retriedinternal_error", "m2=delivered", "m3=retriedinternal_error");
        JsonNode line = logLines().stream().filter(l -> "m1".equals(l.path("message_id").asText())).findFirst().orElseThrow();
        assertThat(line.get("detail").asText()).contains("java.lang.AssertionError").doesNotContain("broken").doesNotContain("@example.com");
        assertThat(sqs.visibilityOf("rh-m1")).isBetween(5, 10);
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void anErrorThrownWithConcurrencyOne_doesNotStopTheOtherUsers() throws Exception {
        env.put("DELIVERY_CONCURRENCY", "1");
        stub.respond(r -> VendorStub.Reply.json(200, "{}"));
        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies(track("u-1", "error"), track("u-2", "deliver")),
                TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(outcomeLines()).containsExactlyInAnyOrder("m1=retriedinternal_error", "m2=delivered");
    }

    @Test
    void aListenerThatThrowsForOneMessage_getsItRetried_andDoesNotStopTheLogsListener() throws Exception {
        stub.respond(r -> VendorStub.Reply.json(200, "{}"));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchRunner.Listener extra = (c, m, t, r, o) -> {
            seen.add(m.getMessageId() + "=" + r.code());
            if (m.getMessageId().equals("m1") && r == Outcome.DELIVERED) throw new IllegalStateException("listener down for u-1@example.com");
        };

        SQSBatchResponse response = handler(extra).handleRequest(SqsEvents.ofBodies(track("u-1", "deliver"), track("u-2", "deliver")),
                TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(outcomeLines()).as("the logs listener saw m1 before the extra one threw, then its retry")
                .containsExactlyInAnyOrder("m1=delivered", "m1=retriedinternal_error", "m2=delivered");
        assertThat(seen).containsExactlyInAnyOrder("m1=delivered", "m1=retried", "m2=delivered");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listener down");
    }

    @Test
    void aListenerThatThrowsFirst_stillLetsTheNextListenerSeeTheResult() {
        List<String> seen = new ArrayList<>();
        BatchRunner.Listener throwing = (c, m, t, r, o) -> { throw new OutOfMemoryError("simulated"); };
        BatchRunner.Listener both = BatchRunner.Listener.each(List.of(throwing, (c, m, t, r, o) -> seen.add(m.getMessageId())));
        SQSMessage m = SqsEvents.message("m1", track("u", "deliver"), 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> both.onOutcome(null, m, "track", Outcome.DELIVERED, dev.destinations.delivery.Verdict.delivered(1, 1)))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(seen).containsExactly("m1");
    }

    @Test
    void retryOnItsLastReceive_isParkedWithTheReason() {
        stub.respond(r -> VendorStub.Reply.json(503, "{\"e\":\"down\"}"));
        SQSBatchResponse response = handler().handleRequest(SqsEvents.of(SqsEvents.message("m1", track("u", "deliver"), 5)), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).hasSize(1);
        assertThat(attr(sqs.sent.get(0), "reason")).isEqualTo("vendor_unavailable");
        assertThat(attr(sqs.sent.get(0), "exhausted")).isEqualTo("true");
        assertThat(attr(sqs.sent.get(0), "vendor_status")).isEqualTo("503");
        assertThat(attr(sqs.sent.get(0), "detail")).startsWith("gave up after 5 receives").contains(": Item rejected (HTTP 503");
    }

    @Test
    void retriesEndByTime_aMessageFirstReceivedLongerAgoThanTheWindowIsParked_aYoungerOneRetried() {
        stub.respond(r -> VendorStub.Reply.json(503, "{\"e\":\"down\"}"));
        env.put("MAX_RECEIVE_COUNT", "500");
        env.put("RETRY_WINDOW_SECONDS", "3600");
        SQSMessage old = SqsEvents.message("old", track("u-old", "deliver"), 40);
        old.getAttributes().put("ApproximateFirstReceiveTimestamp", String.valueOf(System.currentTimeMillis() - 3_601_000));
        SQSMessage young = SqsEvents.message("young", track("u-young", "deliver"), 40);
        young.getAttributes().put("ApproximateFirstReceiveTimestamp", String.valueOf(System.currentTimeMillis() - 3_500_000));

        SQSBatchResponse response = handler().handleRequest(SqsEvents.of(old, young), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("young");
        assertThat(sqs.sent).hasSize(1);
        assertThat(attr(sqs.sent.get(0), "original_message_id")).isEqualTo("old");
        assertThat(attr(sqs.sent.get(0), "exhausted")).isEqualTo("true");
        assertThat(attr(sqs.sent.get(0), "detail")).startsWith("gave up after 40 receives in 1 h 0 min: ");
    }

    @Test
    void theFirstReceive_isNeverTooOld_evenWithAnOldTimestamp() {
        stub.respond(r -> VendorStub.Reply.json(503, "{}"));
        env.put("RETRY_WINDOW_SECONDS", "60");
        SQSMessage sample = SqsEvents.message("m1", track("u", "deliver"), 1);
        sample.getAttributes().put("ApproximateFirstReceiveTimestamp", "1764000000100"); // an events/ sample file's

        SQSBatchResponse response = handler().handleRequest(SqsEvents.of(sample), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void dlqUnavailable_parkedMessageIsRetriedInstead_neverAcknowledged() throws Exception {
        sqs.failSends(true);
        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies("garbage"), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(logLines()).anySatisfy(l -> assertThat(l.path("reason").asText()).isEqualTo("parking_failed"));
    }

    @Test
    void missingDlqSetting_parkedMessageIsRetried() {
        env.remove("DLQ_URL");
        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies("garbage"), TestContext.of30Seconds());
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("DLQ_URL is not set");
    }

    @Test
    void deadlineGuard_startsNothingWhenTimeIsShort_andRetriesWithoutBackoff() {
        env.put("DEADLINE_MARGIN_MS", "5000");
        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies(track("a", "deliver"), track("b", "deliver")),
                new TestContext("req", 1000));

        assertThat(response.getBatchItemFailures()).hasSize(2);
        assertThat(stub.requests()).isEmpty();
        assertThat(sqs.visibilityOf("rh-m1")).isZero();
        assertThat(sqs.visibilityOf("rh-m2")).isZero();
    }

    @Test
    void fifo_afterTheFirstUndeliveredMessageOfAGroup_theRestIsNotAttempted() {
        stub.respond(r -> r.body().contains("u-bad") ? VendorStub.Reply.json(500, "{}") : VendorStub.Reply.json(200, "{}"));
        var m1 = SqsEvents.message("m1", track("u-ok", "deliver"), 1);
        var m2 = SqsEvents.message("m2", track("u-bad", "deliver"), 1);
        var m3 = SqsEvents.message("m3", track("u-ok", "deliver"), 1);
        var other = SqsEvents.message("m4", track("u-ok", "deliver"), 1);
        for (var m : List.of(m1, m2, m3)) m.getAttributes().put("MessageGroupId", "g1");
        other.getAttributes().put("MessageGroupId", "g2");

        SQSBatchResponse response = handler().handleRequest(SqsEvents.of(m1, m2, m3, other), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m2", "m3");
        assertThat(stub.requests()).hasSize(3); // m1, m2 and the other group's m4; m3 was never sent
    }

    @Test
    void usersRunConcurrently_butEachUsersEventsKeepTheirOrder() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        stub.respond(r -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return VendorStub.Reply.json(200, "{}");
        });
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (String u : List.of("ua", "ub", "uc")) {
                bodies.add("{\"type\":\"track\",\"userId\":\"" + u + "\",\"properties\":{\"seq\":" + i + "}}");
            }
        }

        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(maxInFlight.get()).isGreaterThan(1);
        for (String u : List.of("ua", "ub", "uc")) {
            List<Integer> seqs = stub.requests().stream().filter(r -> r.body().contains("\"" + u + "\""))
                    .map(r -> r.body().replaceAll(".*\"seq\":(\\d+).*", "$1")).map(Integer::valueOf).toList();
            assertThat(seqs).as("order of %s's events", u).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void concurrencyOne_runsEverythingInArrivalOrder() {
        env.put("DELIVERY_CONCURRENCY", "1");
        handler().handleRequest(SqsEvents.ofBodies(track("u1", "deliver"), track("u2", "deliver"), track("u3", "deliver")), TestContext.of30Seconds());
        assertThat(stub.requests()).extracting(VendorStub.Recorded::body)
                .containsExactly("{\"user\":\"u1\"}", "{\"user\":\"u2\"}", "{\"user\":\"u3\"}");
    }

    @Test
    void logsAndMetrics_oneLinePerMessage_noSecretNoEmail_andAnEmfRecord() throws Exception {
        stub.respond(r -> VendorStub.Reply.json(400, "{\"echo\":\"key-abc-123 u-1@example.com\"}"));
        handler().handleRequest(SqsEvents.ofBodies(track("u-1", "deliver"), track("u-2", "deliver")), TestContext.of30Seconds());

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("key-abc-123").doesNotContain("@example.com");
        JsonNode emf = logLines().stream().filter(l -> l.has("_aws") && l.has("Parked")).findFirst().orElseThrow();
        assertThat(emf.get("Parked").asInt()).isEqualTo(2);
        assertThat(emf.get("Destination").asText()).isEqualTo("test");
        assertThat(emf.get("ColdStart").asInt()).isEqualTo(1);
        assertThat(emf.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("CsDestinations");
        assertThat(emf.has("VendorDailyQuota")).as("no quota, no quota metric: its alarm has no data").isFalse();
        assertThat(logLines()).anySatisfy(l -> {
            assertThat(l.path("Reason").asText()).isEqualTo("vendor_rejected");
            assertThat(l.path("Messages").asInt()).isEqualTo(2);
        });
    }

    /** D38: past the instance's share of the daily quota a call is not sent; the message waits for the next UTC day. */
    @Test
    void dailyQuota_aCallPastTheShareIsNotSent_retriedAtTheNextUtcDay_andTheQuotaIsReportedForTheAlarm() throws Exception {
        env.put("VENDOR_DAILY_QUOTA", "1");
        env.put("MAXIMUM_CONCURRENCY", "1");
        env.put("DELIVERY_CONCURRENCY", "1");
        SQSBatchResponse response = handler().handleRequest(SqsEvents.ofBodies(track("u-1", "deliver"), track("u-2", "deliver")), TestContext.of30Seconds());

        assertThat(stub.requests()).hasSize(1);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m2");
        assertThat(sqs.sent).as("never parked").isEmpty();
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        long untilNextDay = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC)).toSeconds();
        assertThat(sqs.visibilityOf("rh-m2")).isBetween((int) Math.min(Backoff.SQS_MAX_VISIBILITY_SECONDS, untilNextDay - 60),
                (int) Math.min(Backoff.SQS_MAX_VISIBILITY_SECONDS, untilNextDay + 1));
        assertThat(logLines()).anySatisfy(l -> assertThat(l.path("reason").asText()).isEqualTo("daily_quota"));
        JsonNode emf = logLines().stream().filter(l -> l.has("_aws") && l.has("Retried")).findFirst().orElseThrow();
        assertThat(emf.get("VendorDailyQuota").asLong()).isEqualTo(1);
    }

    @Test
    void invalidSettingsAtColdStart_areLoggedOnce_andMessagesAreRetriedAsConfiguration() throws Exception {
        env.put("DESTINATION_SETTINGS", "{not json");
        Handler h = handler();
        h.handleRequest(SqsEvents.ofBodies(track("u", "deliver")), TestContext.of30Seconds());
        SQSBatchResponse second = h.handleRequest(SqsEvents.ofBodies(track("u", "deliver")), TestContext.of30Seconds());

        assertThat(second.getBatchItemFailures()).hasSize(1);
        assertThat(stub.requests()).isEmpty();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.split("invalid settings", -1)).hasSize(2);
        assertThat(logLines()).anySatisfy(l -> assertThat(l.path("reason").asText()).isEqualTo("configuration"));
    }

    @Test
    void unknownSettingsKeys_areWarnedOncePerColdStart_andAnInvalidConsentSettingIsAnError() throws Exception {
        env.put("DESTINATION_SETTINGS", "{\"brokn\":false,\"useNativeSDK\":true,\"oneTrustCookieCategories\":\"C0004\"}");
        Handler h = handler();
        h.handleRequest(SqsEvents.ofBodies(track("u", "deliver")), TestContext.of30Seconds());
        h.handleRequest(SqsEvents.ofBodies(track("u", "deliver")), TestContext.of30Seconds());

        assertThat(logLines()).filteredOn(l -> l.path("message").asText().contains("brokn")).singleElement()
                .satisfies(l -> {
                    assertThat(l.path("level").asText()).isEqualTo("WARN");
                    assertThat(l.path("message").asText()).isEqualTo("unknown settings key \"brokn\" is ignored; did you mean \"broken\"?");
                });
        assertThat(logLines()).filteredOn(l -> l.path("message").asText().contains("device-mode")).hasSize(1);
        assertThat(logLines()).filteredOn(l -> l.path("message").asText().startsWith("invalid settings: oneTrustCookieCategories must be a list"))
                .singleElement().satisfies(l -> assertThat(l.path("level").asText()).isEqualTo("ERROR"));
        assertThat(stub.requests()).as("retried as configuration, never delivered unjudged").isEmpty();
    }

    @Test
    void emptyOrNullEvent_isAnEmptyResponse() {
        assertThat(handler().handleRequest(new SQSEvent(), TestContext.of30Seconds()).getBatchItemFailures()).isEmpty();
        assertThat(handler().handleRequest(null, null).getBatchItemFailures()).isEmpty();
    }

    @Test
    void backoff_growsWithReceiveCount_honoursRetryAfter_andIsClamped() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(900));
        assertThat(b.visibilitySeconds(1, null)).isBetween(5, 10);
        assertThat(b.visibilitySeconds(3, null)).isBetween(20, 40);
        assertThat(b.visibilitySeconds(30, null)).isBetween(450, 900);
        assertThat(b.visibilitySeconds(1, Duration.ofSeconds(120))).isEqualTo(120);
        assertThat(b.visibilitySeconds(1, Duration.ofDays(3))).isEqualTo(43_200);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).visibilitySeconds(4, null)).isZero();
    }

    /** D19: each event of a batch body settles on its own; a failed one is retried or parked alone, nothing twice. */
    @Nested
    class BatchBodies {
        static final String DLQ = "https://sqs.local/1/dlq";
        static final String SOURCE = "https://sqs.us-east-1.amazonaws.com/123456789012/cs-destinations-test";

        @BeforeEach
        void vendorDownForUDown() {
            stub.respond(r -> r.body().contains("u-down") ? VendorStub.Reply.json(503, "{}") : VendorStub.Reply.json(200, "{}"));
        }

        private SQSBatchResponse run(SQSEvent.SQSMessage... messages) {
            return handler().handleRequest(SqsEvents.of(messages), TestContext.of30Seconds());
        }

        static String track(String user, String action, int seq) {
            return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"properties\":{\"action\":\"" + action + "\",\"seq\":" + seq + "}}";
        }

        static String batch(String... events) {
            return "{\"batch\":[" + String.join(",", events) + "]}";
        }

        private List<SendMessageRequest> sentTo(String url) {
            return sqs.sent.stream().filter(r -> r.queueUrl().equals(url)).toList();
        }

        private List<String> outcomes() throws Exception {
            List<String> lines = new ArrayList<>();
            for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (l.isBlank()) continue;
                JsonNode line = Json.parse(l);
                if (line.has("outcome")) lines.add(line.get("message_id").asText() + "=" + line.get("outcome").asText() + line.path("reason").asText(""));
            }
            return lines;
        }

        @Test
        void mixedBody_deliversTheGood_parksTheBadAlone_requeuesTheFailedAlone_andAcknowledgesTheMessage() throws Exception {
            String bad = track("u-2", "validate", 3);
            String down = track("u-down", "deliver", 2);
            SQSEvent.SQSMessage m = SqsEvents.message("m1", batch(track("u-1", "deliver", 1), down, bad, track("u-1", "deliver", 4)), 1);
            SQSEvent.MessageAttribute producers = new SQSEvent.MessageAttribute();
            producers.setDataType("String");
            producers.setStringValue("from-the-producer");
            m.getMessageAttributes().put("original_message_id", producers);
            SQSBatchResponse response = run(m);

            assertThat(response.getBatchItemFailures()).as("the message is done with: its events each went somewhere").isEmpty();
            assertThat(stub.requests()).hasSize(3); // u-1 twice and the failed u-down attempt; the invalid one makes no call
            List<SendMessageRequest> parked = sentTo(DLQ);
            assertThat(parked).hasSize(1);
            assertThat(parked.get(0).messageBody()).as("the DLQ holds that one event").isEqualTo(bad);
            assertThat(attr(parked.get(0), "reason")).isEqualTo("validation");
            assertThat(attr(parked.get(0), "original_message_id")).as("a producer's attribute of that name is not ours").isEqualTo("m1");
            List<SendMessageRequest> requeued = sentTo(SOURCE);
            assertThat(requeued).hasSize(1);
            assertThat(requeued.get(0).messageBody()).isEqualTo(batch(down));
            assertThat(attr(requeued.get(0), "requeued_receive_count")).isEqualTo("1");
            assertThat(attr(requeued.get(0), "first_received")).isEqualTo(SqsEvents.FIRST_RECEIVED_ISO);
            assertThat(requeued.get(0).delaySeconds()).isBetween(5, 10);
            assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=delivered", "m1#2=retriedvendor_unavailable", "m1#3=parkedvalidation", "m1#4=delivered");
        }

        @Test
        void anErrorForOneEventOfABody_requeuesThatEventAlone_asInternalError_theDeliveredNeighbourIsNotRedone() throws Exception {
            String thrower = track("u-2", "error", 2);
            SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), thrower), 1));

            assertThat(response.getBatchItemFailures()).isEmpty();
            List<SendMessageRequest> requeued = sentTo(SOURCE);
            assertThat(requeued).hasSize(1);
            assertThat(requeued.get(0).messageBody()).isEqualTo(batch(thrower));
            assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=delivered", "m1#2=retriedinternal_error");
        }

        @Test
        void requeuedEvent_keepsCounting_andIsParkedAloneOnTheLastReceive() throws Exception {
            SQSEvent.SQSMessage again = SqsEvents.message("m2", batch(track("u-down", "deliver", 2)), 1);
            SQSEvent.MessageAttribute count = new SQSEvent.MessageAttribute();
            count.setDataType("Number");
            count.setStringValue("4");
            again.getMessageAttributes().put("requeued_receive_count", count);
            for (var carried : Map.of("original_message_id", "m-first", "first_received", "2026-12-01T06:53:59Z").entrySet()) {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType("String");
                a.setStringValue(carried.getValue());
                again.getMessageAttributes().put(carried.getKey(), a);
            }

            SQSBatchResponse response = run(again);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(sentTo(DLQ)).singleElement().satisfies(p -> {
                assertThat(p.messageBody()).isEqualTo(track("u-down", "deliver", 2));
                assertThat(attr(p, "exhausted")).isEqualTo("true");
                assertThat(attr(p, "receive_count")).isEqualTo("5");
                assertThat(attr(p, "original_message_id")).as("the message the event first came in").isEqualTo("m-first");
                assertThat(attr(p, "first_received")).isEqualTo("2026-12-01T06:53:59Z");
            });
        }

        @Test
        void everyEventToRetry_theMessageItselfIsRetried_nothingRequeued() {
            SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-down", "deliver", 1), track("u-down2", "deliver", 2)), 1));

            assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
            assertThat(sqs.sent).isEmpty();
            assertThat(sqs.visibilityOf("rh-m1")).isBetween(5, 10);
        }

        @Test
        void afterAUsersEventFails_hisLaterEventsWait_andAreRequeuedAfterIt_inOrder() throws Exception {
            String first = track("u-down", "deliver", 1);
            String later = "{\"type\":\"track\",\"userId\":\"u-down\",\"properties\":{\"seq\":3}}";
            run(SqsEvents.message("m1", batch(first, track("u-1", "deliver", 2), later), 1));

            assertThat(stub.requests()).hasSize(2); // the later u-down event was not attempted
            assertThat(sentTo(SOURCE)).singleElement().satisfies(r -> assertThat(r.messageBody()).isEqualTo(batch(first, later)));
            assertThat(outcomes()).contains("m1#3=retrieduser_order_blocked");
        }

        @Test
        void sourceQueueRefusesTheRequeue_theFailedEventIsParkedAlone_neverLost_neighboursNotRedone() throws Exception {
            sqs.failSendsTo(SOURCE);
            String down = track("u-down", "deliver", 2);
            SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), down), 1));

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(sentTo(DLQ)).singleElement().satisfies(p -> {
                assertThat(p.messageBody()).isEqualTo(down);
                assertThat(attr(p, "reason")).isEqualTo("requeue_failed");
                assertThat(attr(p, "detail")).startsWith("the source queue did not take it back (vendor_unavailable: ");
            });
        }

        @Test
        void neitherQueueTakesIt_theWholeMessageIsRetried() throws Exception {
            sqs.failSends(true);
            SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), track("u-down", "deliver", 2)), 1));
            assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
            assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=delivered", "m1#2=retriedparking_failed");
        }

        @Test
        void fifo_requeueKeepsTheGroup_withADeduplicationIdAndNoDelay_andTheGroupsLaterMessageWaits() {
            SQSEvent.SQSMessage m = SqsEvents.message("m1", batch(track("u-1", "deliver", 1), track("u-down", "deliver", 2)), 1);
            m.getAttributes().put("MessageGroupId", "g1");
            m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:cs-destinations-test.fifo");
            SQSEvent.SQSMessage later = SqsEvents.message("m2", track("u-1", "deliver", 3), 1);
            later.getAttributes().put("MessageGroupId", "g1");
            later.setEventSourceArn(m.getEventSourceArn());

            SQSBatchResponse response = run(m, later);

            assertThat(response.getBatchItemFailures()).as("the group's later message waits").extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly("m2");
            assertThat(stub.requests()).hasSize(2); // m1's two events; m2 not attempted
            assertThat(sentTo(SOURCE + ".fifo")).singleElement().satisfies(r -> {
                assertThat(r.messageGroupId()).isEqualTo("g1");
                assertThat(r.messageDeduplicationId()).isEqualTo("m1-r1");
                assertThat(r.delaySeconds()).isNull();
            });
        }

        @Test
        void fifo_twoIdenticalEventsParkedFromOneBody_getTheirOwnDeduplicationIds_soNeitherIsDropped() {
            String bad = track("u-2", "validate", 1);
            SQSEvent.SQSMessage m = SqsEvents.message("m1", batch(bad, bad), 1);
            m.getAttributes().put("MessageGroupId", "g1");

            run(m);

            assertThat(sentTo(DLQ)).extracting(SendMessageRequest::messageDeduplicationId).containsExactly("m1-1", "m1-2");
        }

        @Test
        void eventsOfABodyCountAgainstTheDeadline() throws Exception {
            env.put("DEADLINE_MARGIN_MS", "5000");
            SQSBatchResponse response = handler().handleRequest(
                    SqsEvents.of(SqsEvents.message("m1", batch(track("a", "deliver", 1), track("b", "deliver", 2)), 1)), new TestContext("req", 1000));

            assertThat(stub.requests()).isEmpty();
            assertThat(response.getBatchItemFailures()).hasSize(1);
            assertThat(sqs.visibilityOf("rh-m1")).isZero();
            assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=retrieddeadline", "m1#2=retrieddeadline");
        }

        @Test
        void deadlineReachedWithinABody_theEventsNotStartedAreRequeuedAtOnce_theDeliveredOneIsNot() throws Exception {
            env.put("DEADLINE_MARGIN_MS", "1000");
            stub.respond(r -> VendorStub.Reply.json(200, "{}").after(java.time.Duration.ofMillis(500)));
            String second = track("u-1", "deliver", 2);
            String third = track("u-1", "deliver", 3);
            Handler h = handler();

            SQSBatchResponse response = h.handleRequest(SqsEvents.of(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), second, third), 1)),
                    new TestContext("req", 1400)); // time for the first event only

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(stub.requests()).hasSize(1);
            assertThat(sentTo(SOURCE)).singleElement().satisfies(r -> {
                assertThat(r.messageBody()).isEqualTo(batch(second, third));
                assertThat(r.delaySeconds()).as("not started: no backoff").isNull();
            });
            assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=delivered", "m1#2=retrieddeadline", "m1#3=retrieduser_order_blocked");
        }

        @Test
        void envelopedSingleEvent_isProcessedAsAlone_andParkedWithTheOriginalBody() {
            String sns = SqsEvents.snsNotification(track("u-2", "validate", 1));
            String eventBridge = SqsEvents.eventBridgeEvent(track("u-1", "deliver", 1));

            SQSBatchResponse response = run(SqsEvents.message("m1", sns, 1), SqsEvents.message("m2", eventBridge, 1));

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo("{\"user\":\"u-1\",\"seq\":1}"));
            assertThat(sentTo(DLQ)).singleElement().satisfies(p -> assertThat(p.messageBody()).isEqualTo(sns));
        }
    }
}
