package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.Golden;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import dev.destinations.testkit.VendorStub.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Gainsight PX's flows through the real handler: HTTP on a loopback stub, in-memory SQS and secret. */
class GainsightPxHandlerTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    InMemorySqs sqs;
    Map<String, String> env;
    final List<Verdict> outcomes = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        outcomes.clear();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{\"productTagKey\":\"AP-TEST-1\"}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + "/v1/", "DEPENDENCY_RETRY_RECEIVES", "3"));
    }

    private GainsightPxHandler handler(FixedSecret secret) {
        return new GainsightPxHandler(new DestinationHandler.Wiring(env, sqs, secret,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, t, r, o) -> outcomes.add(o)));
    }

    private SQSBatchResponse run(String... bodies) {
        return handler(FixedSecret.of("{\"apiKey\":\"px-test-key\"}")).handleRequest(SqsEvents.ofBodies(bodies), TestContext.of30Seconds());
    }

    private SQSBatchResponse runAt(int receiveCount, String body) {
        return handler(FixedSecret.of("{\"apiKey\":\"px-test-key\"}"))
                .handleRequest(SqsEvents.of(SqsEvents.message("m1", body, receiveCount)), TestContext.of30Seconds());
    }

    private List<String> calls() {
        return stub.requests().stream().map(r -> r.method() + " " + r.rawPath()).toList();
    }

    private String parked(String attribute) {
        assertThat(sqs.sent).hasSize(1);
        return sqs.sent.get(0).messageAttributes().get(attribute).stringValue();
    }

    private String reasonCode() {
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0).reason() == null ? "delivered" : outcomes.get(0).reason().code();
    }

    static final String GROUP = "{\"type\":\"group\",\"userId\":\"u-1\",\"groupId\":\"ecorp-id\",\"traits\":{\"name\":\"ECorp\",\"plan\":\"premium\"},"
            + "\"timestamp\":\"2021-06-25T08:59:52.891Z\"}";
    static final String GROUP_LIMITED = "{\"type\":\"group\",\"userId\":\"u-1\",\"groupId\":\"ecorp-id\",\"traits\":{\"name\":\"ECorp\"},"
            + "\"integrations\":{\"GAINSIGHT_PX\":{\"limitAPIForGroup\":true}}}";

    // ------------------------------------------------------------------------------------------------ identify

    /**
     * The delivered flows: golden cases of {@code src/test/resources/golden-flow/<case>/} ({@code in.json} the message
     * body, {@code settings.json} the destination settings, {@code vendor.json} the users and accounts the fake PX
     * holds, {@code out.json} the vendor requests in order, below {@code /v1}, as {@link Golden#requests} writes them).
     * Each must be delivered: nothing retried, nothing parked.
     */
    @TestFactory
    Stream<DynamicTest> goldenFlows() {
        return Golden.tests(Golden.FLOW_DIR, c -> {
            stub.reset();
            sqs = new InMemorySqs();
            GainsightPxSandbox fake = new GainsightPxSandbox();
            JsonNode vendor = c.json("vendor.json", "{}");
            vendor.path("users").forEach(u -> fake.withUsers(u.asText()));
            vendor.path("accounts").forEach(a -> fake.withAccounts(a.asText()));
            stub.respond(fake);
            env.put("DESTINATION_SETTINGS", c.json("settings.json").toString());
            SQSBatchResponse response = run(c.in().toString());
            assertThat(response.getBatchItemFailures()).as("retried").isEmpty();
            assertThat(sqs.sent).as("parked").isEmpty();
            return Golden.requests(stub.requests(), "/v1");
        });
    }

    /** Its request: golden flow identify-existing-user-is-one-put-d23. */
    @Test
    void identify_carriesPxHeaders() {
        stub.respond(new GainsightPxSandbox().withUsers("u-1"));
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"ada@example.com\"}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).hasSize(1).allSatisfy(r -> {
            assertThat(r.header("X-APTRINSIC-API-KEY")).isEqualTo("px-test-key");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
    }

    @Test
    void identify_update503_isRetried_andNoUserIsCreated() {
        stub.respond(r -> Reply.json(503, "{\"message\":\"busy\"}"));
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u-1\"}");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(sqs.sent).isEmpty();
        assertThat(calls()).containsExactly("PUT /v1/users/u-1");
        assertThat(reasonCode()).isEqualTo("vendor_unavailable");
        assertThat(outcomes.get(0).detail()).isEqualTo("user update not accepted (HTTP 503: {\"message\":\"busy\"})");
    }

    @Test
    void identify_withoutAnyId_isParkedBeforeAnyCall() {
        run("{\"type\":\"identify\",\"traits\":{\"email\":\"ada@example.com\"}}");
        assertThat(stub.requests()).isEmpty();
        assertThat(parked("reason")).isEqualTo("validation");
        assertThat(parked("detail")).isEqualTo("userId or anonymousId is required for identify");
    }

    // --------------------------------------------------------------------------------------------------- track

    /** D37: PX requires eventName; the reference sends the event anyway and PX answers 400. */
    @Test
    void track_withoutEventName_isParkedAsValidationBeforeAnyCall_D37() {
        stub.respond(new GainsightPxSandbox().withUsers("u-1"));
        for (String noName : List.of("{\"type\":\"track\",\"userId\":\"u-1\"}", "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"\"}",
                "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":{\"name\":\"x\"}}")) {
            sqs = new InMemorySqs();
            outcomes.clear();
            run(noName);
            assertThat(stub.requests()).as(noName).isEmpty();
            assertThat(parked("reason")).isEqualTo("validation");
            assertThat(parked("detail")).isEqualTo("event is required for track: Gainsight PX requires an event name");
        }
    }

    /** D20 before D37: a track without identity is skipped as unidentified, whatever its event name. */
    @Test
    void track_withoutIdentityOrEventName_isUnidentified() {
        run("{\"type\":\"track\",\"properties\":{}}");
        assertThat(stub.requests()).isEmpty();
        assertThat(reasonCode()).isEqualTo("unidentified");
    }

    // --------------------------------------------------------------------------------------------------- group

    /** D35: no GET for an id that cannot sit in a path; the link through PUT /users/update is the user check. */
    @Test
    void group_reservedUserIdNotFound_isDependencyNotReady_afterTheAccountUpsert_D35() {
        stub.respond(new GainsightPxSandbox().withAccounts("ecorp-id"));
        SQSBatchResponse response = runAt(1, GROUP.replace("\"userId\":\"u-1\"", "\"userId\":\"u/1\""));
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(sqs.sent).isEmpty();
        assertThat(calls()).containsExactly("GET /v1/accounts/ecorp-id", "PUT /v1/accounts/ecorp-id", "PUT /v1/users/update");
        assertThat(reasonCode()).isEqualTo("dependency_not_ready");
        assertThat(outcomes.get(0).detail()).startsWith("aborting group call: user not found");
    }

    @Test
    void group_userNotFoundOnFirstReceive_isRetriedAsDependencyNotReady_D11() {
        stub.respond(new GainsightPxSandbox().withAccounts("ecorp-id"));
        SQSBatchResponse response = runAt(1, GROUP);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(sqs.sent).isEmpty();
        assertThat(reasonCode()).isEqualTo("dependency_not_ready");
        assertThat(calls()).containsExactly("GET /v1/users/u-1");
    }

    @Test
    void group_userStillNotFoundOnReceive3_isParkedNotFoundWithTheReferenceMessage_D11() {
        stub.respond(r -> Reply.json(404, "{\"externalapierror\":{\"status\":\"NOT_FOUND\",\"message\":\"Nobody with {id=u-1}\","
                + "\"debugMessage\":null,\"subErrors\":null}}"));
        SQSBatchResponse response = runAt(3, GROUP);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(parked("reason")).isEqualTo("not_found");
        assertThat(parked("detail")).isEqualTo("aborting group call: {\"status\":\"NOT_FOUND\",\"message\":\"Nobody with {id=u-1}\","
                + "\"debugMessage\":null,\"subErrors\":null}");
        assertThat(calls()).containsExactly("GET /v1/users/u-1");
    }

    @Test
    void group_userGet403Html_isParkedAsAuth_withTheReferenceText() {
        String html = "<!doctype html><title>403</title>403 Forbidden";
        stub.respond(r -> new Reply(403, html, Map.of("Content-Type", "text/html"), java.time.Duration.ZERO, false));
        run(GROUP);
        assertThat(parked("reason")).isEqualTo("auth");
        assertThat(parked("detail")).isEqualTo("error while fetching user: \"<!doctype html><title>403</title>403 Forbidden\" (HTTP 403)");
        assertThat(calls()).containsExactly("GET /v1/users/u-1");
    }

    @Test
    void group_missingGroupIdOrAccountName_isParkedBeforeAnyCall_D10() {
        run("{\"type\":\"group\",\"userId\":\"u-1\",\"traits\":{\"name\":\"ECorp\"}}");
        assertThat(parked("detail")).isEqualTo("groupId is required for group");
        sqs.sent.clear();
        run("{\"type\":\"group\",\"userId\":\"u-1\",\"groupId\":\"g\",\"traits\":{\"plan\":\"x\"}}");
        assertThat(parked("detail")).isEqualTo("Missing required value from \"traits.name\"");
        sqs.sent.clear();
        run("{\"type\":\"group\",\"groupId\":\"g\",\"traits\":{\"name\":\"ECorp\"}}");
        assertThat(parked("detail")).isEqualTo("userId or anonymousId is required for group");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void group_accountPutAnswering200Not204_isSuccess_D2() {
        stub.respond(r -> Reply.json(200, "{\"id\":\"x\"}"));
        SQSBatchResponse response = run(GROUP, GROUP_LIMITED.replace("u-1", "u-2"));
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.delivered()).isTrue());
    }

    @Test
    void group_accountUpdate400_isParkedWithTheReferenceMessage() {
        stub.respond(r -> r.method().equals("PUT") ? Reply.json(400, "{\"externalapierror\":{\"message\":\"bad plan\"}}") : Reply.json(200, "{}"));
        run(GROUP);
        assertThat(parked("reason")).isEqualTo("vendor_rejected");
        assertThat(parked("detail")).isEqualTo("failed to update account for group: {\"message\":\"bad plan\"} (HTTP 400)");
        assertThat(calls()).doesNotContain("PUT /v1/users/u-1");
    }

    @Test
    void group_accountCreate500_isRetriedWithTheReferenceContext() {
        stub.respond(r -> r.method().equals("POST") ? Reply.status(500)
                : r.path().startsWith("/v1/accounts") ? Reply.json(404, "{}") : Reply.json(200, "{}"));
        SQSBatchResponse response = run(GROUP);
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(outcomes.get(0).detail()).isEqualTo("error while creating account: (HTTP 500)");
    }

    @Test
    void group_accountLookupWithoutResponse_isRetriedAsNetwork() {
        stub.respond(r -> r.path().startsWith("/v1/accounts") ? Reply.drop() : Reply.json(200, "{}"));
        SQSBatchResponse response = run(GROUP);
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(reasonCode()).isEqualTo("network");
    }

    // ------------------------------------------------------------------------------------- settings and auth

    @Test
    void auth_401ThenRefreshedKey_succeeds_D15() {
        AtomicInteger reads = new AtomicInteger();
        FixedSecret rotating = new FixedSecret(() -> reads.incrementAndGet() == 1 ? "{\"apiKey\":\"old-key\"}" : "{\"apiKey\":\"new-key\"}");
        stub.respond(r -> "new-key".equals(r.header("X-APTRINSIC-API-KEY")) ? Reply.json(200, "{}") : Reply.json(401, "{\"message\":\"bad key\"}"));
        SQSBatchResponse response = handler(rotating).handleRequest(SqsEvents.ofBodies("{\"type\":\"identify\",\"userId\":\"u-1\"}"),
                TestContext.of30Seconds());
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.header("X-APTRINSIC-API-KEY"))
                .containsExactly("PUT old-key", "PUT new-key");
    }

    @Test
    void auth_401AfterTheRefresh_isParkedAsAuth() {
        stub.respond(r -> Reply.json(401, "{\"message\":\"bad key\"}"));
        run("{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\"}");
        assertThat(parked("reason")).isEqualTo("auth");
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void productTagKey_missing_isRetriedAsConfiguration_beforeAnyCall() {
        env.put("DESTINATION_SETTINGS", "{}");
        SQSBatchResponse response = run("{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\"}");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(reasonCode()).isEqualTo("configuration");
        assertThat(outcomes.get(0).detail()).isEqualTo("product tag key is required");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void productTagKey_keptInTheSecret_isUsed() throws Exception {
        env.put("DESTINATION_SETTINGS", "{\"dataCenter\":\"EU\"}");
        handler(FixedSecret.of("{\"apiKey\":\"px-test-key\",\"productTagKey\":\"AP-SECRET-9\"}"))
                .handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\"}"), TestContext.of30Seconds());
        assertThat(Json.parse(stub.requests().get(0).body()).get("propertyKey").asText()).isEqualTo("AP-SECRET-9");
    }

    @Test
    void apiKey_missing_isRetriedAsConfiguration_withTheReferenceMessage_D8() {
        handler(FixedSecret.of("{}")).handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\"}"), TestContext.of30Seconds());
        assertThat(reasonCode()).isEqualTo("configuration");
        assertThat(outcomes.get(0).detail()).isEqualTo("Invalid API Key. Aborting message.");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void types_pageIsSkipped_unknownAndMissingAreParkedWithTheReferenceMessages_D12() {
        SQSBatchResponse response = run("{\"type\":\"page\",\"userId\":\"u\"}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        run("{\"type\":\"Shout\",\"userId\":\"u\"}");
        assertThat(parked("detail")).isEqualTo("message type shout not supported");
        sqs.sent.clear();
        run("{\"userId\":\"u\"}");
        assertThat(parked("detail")).isEqualTo("Message Type is not present. Aborting message.");
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void sampleEvents_ofTheEventsFolder_settleAsDocumented() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("..", "..", "events", "gainsight-px");
        env.put("DESTINATION_SETTINGS", Json.parse(java.nio.file.Files.readString(dir.resolve("env.json")))
                .path("GainsightPxFunction").path("DESTINATION_SETTINGS").asText());
        stub.respond(new GainsightPxSandbox().withUsers("user-42", "user-43"));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("identify.json", "delivered");
        expected.put("track.json", "delivered");
        expected.put("group.json", "delivered");
        expected.put("group-limit-api.json", "delivered");
        expected.put("malformed.json", "invalid_event");
        for (var e : expected.entrySet()) {
            outcomes.clear();
            var record = Json.parse(java.nio.file.Files.readString(dir.resolve(e.getKey()))).path("Records").get(0);
            handler(FixedSecret.of("{}")).handleRequest(SqsEvents.of(SqsEvents.message(record.path("messageId").asText(),
                    record.path("body").asText(), 1)), TestContext.of30Seconds());
            assertThat(reasonCode()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(calls()).containsExactly("PUT /v1/users/user-42", "POST /v1/events/custom",
                "GET /v1/users/user-42", "GET /v1/accounts/acme-corp", "POST /v1/accounts", "PUT /v1/users/user-42",
                "PUT /v1/accounts/globex", "POST /v1/accounts", "PUT /v1/users/user-43");
    }

    @Test
    void integrations_canSwitchGainsightPxOff_byAnyOfItsNames_D13() {
        SQSBatchResponse response = run("{\"type\":\"track\",\"userId\":\"u\",\"integrations\":{\"GAINSIGHTPX\":false}}",
                "{\"type\":\"track\",\"userId\":\"u\",\"integrations\":{\"All\":false}}",
                "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"integrations\":{\"All\":false,\"gainsightPx\":true}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).hasSize(1);
    }
}
