package dev.destinations.custify;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.Golden;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Custify's flows through the real handler: HTTP on a loopback stub answered by Custify's sandbox, in-memory SQS and secret. */
class CustifyHandlerTest {
    static final CustifySandbox custify = new CustifySandbox("");
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension(custify);
    InMemorySqs sqs;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", stub.baseUrl() + "/"));
    }

    private SQSBatchResponse run(String... bodies) {
        CustifyHandler handler = new CustifyHandler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("ck-test-key"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));
        return handler.handleRequest(SqsEvents.ofBodies(bodies), TestContext.of30Seconds());
    }

    private String parkedReason() {
        return sqs.sent.get(0).messageAttributes().get("reason").stringValue();
    }

    private String parkedDetail() {
        return sqs.sent.get(0).messageAttributes().get("detail").stringValue();
    }

    /**
     * The delivered flows: golden cases of {@code src/test/resources/golden-flow/<case>/} ({@code in.json} the message
     * body, {@code settings.json} the destination settings when not {@code {}}, {@code out.json} the vendor requests
     * in order, as {@link Golden#requests} writes them). Each must be delivered: nothing retried, nothing parked.
     */
    @TestFactory
    Stream<DynamicTest> goldenFlows() {
        return Golden.tests(Golden.FLOW_DIR, c -> {
            stub.reset();
            sqs = new InMemorySqs();
            env.put("DESTINATION_SETTINGS", c.json("settings.json", "{}").toString());
            SQSBatchResponse response = run(c.in().toString());
            assertThat(response.getBatchItemFailures()).as("retried").isEmpty();
            assertThat(sqs.sent).as("parked").isEmpty();
            return Golden.requests(stub.requests(), "");
        });
    }

    /** Its request: golden flow identify-is-one-post-of-the-person. */
    @Test
    void identify_carriesCustifysHeaders() {
        run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@example.com\"}}");
        assertThat(stub.requests()).hasSize(1);
        var r = stub.requests().get(0);
        assertThat(r.header("Authorization")).isEqualTo("Bearer ck-test-key");
        assertThat(r.header("Accept")).isEqualTo("application/json");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }

    /** Its requests: golden flow group-upserts-the-company-then-the-person. */
    @Test
    void group_companyCallCarriesAxiosAccept_thePersonCallCustifys() {
        run("{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"c-1\",\"traits\":{\"name\":\"Acme\"}}");
        assertThat(stub.requests()).extracting(VendorStub.Recorded::path).containsExactly("/company", "/people");
        // 2.2: the side call sets no Accept of its own, so it carries the client's default, which is axios's, as the reference's does
        assertThat(stub.requests().get(0).header("Accept")).isEqualTo("application/json, text/plain, */*");
        assertThat(stub.requests().get(1).header("Accept")).isEqualTo("application/json");
    }

    @Test
    void group_withoutAnyUser_isRejectedBeforeTheCompanyCall_D10() {
        SQSBatchResponse response = run("{\"type\":\"group\",\"groupId\":\"c-1\",\"traits\":{\"name\":\"Acme\"}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).isEmpty();
        assertThat(parkedReason()).isEqualTo("validation");
        assertThat(parkedDetail()).isEqualTo("Email or userId is mandatory");
    }

    @Test
    void group_companyCallDown_isRetriedWithTheReferenceMessage_andThePersonIsNotSent() {
        stub.respond(r -> r.path().equals("/company") ? VendorStub.Reply.json(503, "{\"err\":\"busy\"}") : VendorStub.Reply.json(200, "{}"));
        SQSBatchResponse response = run("{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"c-1\",\"traits\":{}}");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void group_companyRejected_isParkedWithStatusAndBody() {
        stub.respond(r -> VendorStub.Reply.json(422, "{\"err\":\"bad plan\"}"));
        run("{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"c-1\",\"traits\":{}}");
        assertThat(parkedReason()).isEqualTo("vendor_rejected");
        assertThat(parkedDetail()).isEqualTo("[Group]: failed create/update company details (HTTP 422: {\"err\":\"bad plan\"})");
    }

    @Test
    void pageScreenAlias_areSkipped_notParked_D12() {
        SQSBatchResponse response = run("{\"type\":\"page\",\"userId\":\"u\"}", "{\"type\":\"screen\",\"userId\":\"u\"}", "{\"type\":\"alias\",\"userId\":\"u\"}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void unknownAndMissingTypes_areParkedWithTheReferenceMessages() {
        run("{\"type\":\"shout\",\"userId\":\"u\"}");
        assertThat(parkedReason()).isEqualTo("invalid_event");
        assertThat(parkedDetail()).isEqualTo("Message type not supported");
        sqs.sent.clear();
        run("{\"userId\":\"u\"}");
        assertThat(parkedDetail()).isEqualTo("Message Type is not present. Ignoring message.");
    }

    @Test
    void deletion_deletesEachUser_encodesIds_andTreats404AsDone_D17() {
        custify.withPerson("a+b@x").withPerson("kept");
        SQSBatchResponse response = run("{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"a+b@x\"},{\"userId\":\"gone\"}]}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).as("nothing parked; the one message sent is the deletion's second pass (D62)").singleElement()
                .satisfies(r -> assertThat(r.messageAttributes().get("erasure_pass").stringValue()).isEqualTo("2"));
        assertThat(custify.person("a+b@x")).as("deleted").isNull();
        assertThat(custify.person("kept")).isNotNull();
        assertThat(stub.requests()).extracting(VendorStub.Recorded::rawQuery).containsExactly("user_id=a%2Bb%40x", "user_id=gone");
        assertThat(stub.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.header("Authorization")).isEqualTo("Bearer ck-test-key");
        });
    }

    @Test
    void deletion_vendorRejection_isParkedWithItsBody_andAMissingUserIdSendsNothing() {
        stub.respond(r -> VendorStub.Reply.json(400, "{\"error\":\"User: rudder3 has a problem\"}"));
        run("{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"rudder3\"}]}");
        assertThat(parkedDetail()).startsWith("{\"error\":\"User: rudder3 has a problem\"}");
        sqs.sent.clear();
        stub.reset();
        run("{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"r1\"},{}]}");
        assertThat(stub.requests()).isEmpty();
        assertThat(parkedDetail()).isEqualTo("User id for deletion not present");
    }

    @Test
    void deletion_204IsDoneToo_D17() {
        stub.respond(r -> VendorStub.Reply.status(204));
        SQSBatchResponse response = run("{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"u1\"}]}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).as("nothing parked; the one message sent is the deletion's second pass (D62)").singleElement()
                .satisfies(r -> assertThat(r.messageAttributes().get("erasure_pass").stringValue()).isEqualTo("2"));
    }

    // the second pass of a deletion (D62), with Custify's deletion as the example: the batch runner's, every destination's

    static final String DELETION = "{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"u1\"}]}";
    static final String SOURCE_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/cs-destinations-test";

    private SQSBatchResponse runMessage(SQSEvent.SQSMessage m) {
        CustifyHandler handler = new CustifyHandler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("ck-test-key"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));
        return handler.handleRequest(SqsEvents.of(m), TestContext.of30Seconds());
    }

    @Test
    void deletion_sendsItsSecondPass_toItsOwnQueue_60sLater_asTheBodyCame() {
        custify.withPerson("u1");
        run(DELETION);
        assertThat(sqs.sent).singleElement().satisfies(r -> {
            assertThat(r.queueUrl()).isEqualTo(SOURCE_QUEUE);
            assertThat(r.delaySeconds()).isEqualTo(60);
            assertThat(r.messageBody()).isEqualTo(DELETION);
            assertThat(r.messageAttributes().get("erasure_pass").stringValue()).isEqualTo("2");
        });
    }

    @Test
    void aSecondPass_deletesAgain_andSchedulesNoThird() {
        custify.withPerson("u1");
        SQSEvent.SQSMessage second = SqsEvents.message("m-2", DELETION, 1);
        second.setMessageAttributes(Map.of("erasure_pass", new SQSEvent.MessageAttribute()));
        second.getMessageAttributes().get("erasure_pass").setStringValue("2");
        assertThat(runMessage(second).getBatchItemFailures()).isEmpty();
        assertThat(custify.person("u1")).as("deleted again").isNull();
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void aSecondPassTheQueueRefuses_retriesTheDeletion_asSecondPassUnscheduled() {
        custify.withPerson("u1");
        sqs.failSendsTo(SOURCE_QUEUE);
        SQSBatchResponse response = run(DELETION);
        assertThat(custify.person("u1")).as("the deletion itself was made").isNull();
        assertThat(response.getBatchItemFailures()).as("retried: its next attempt deletes again (a 404) and schedules again").hasSize(1);
        assertThat(sqs.sent).as("nothing parked").isEmpty();
    }

    @Test
    void onAFifoQueue_thereIsNoSecondPass_theGroupsOrderIsTheGuard() {
        SQSEvent.SQSMessage m = SqsEvents.message("m-1", DELETION, 1);
        m.getAttributes().put("MessageGroupId", "u1");
        assertThat(runMessage(m).getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void withTheSettingZero_thereIsNoSecondPass() {
        env.put("ERASURE_SECOND_PASS_SECONDS", "0");
        run(DELETION);
        assertThat(sqs.sent).isEmpty();
    }

    /** The sandbox keeps what the flows wrote: identify's person, group's company and link, track's event. */
    @Test
    void identifyGroupTrack_leaveThePersonLinkedToTheCompany_andTheEvent() {
        run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@example.com\",\"plan\":\"pro\"}}",
                "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"c-1\",\"traits\":{\"name\":\"Acme\"}}",
                "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\",\"timestamp\":\"2026-11-24T10:00:00Z\"}");
        assertThat(sqs.sent).as("parked").isEmpty();
        assertThat(custify.person("u1").path("email").asText()).isEqualTo("a@example.com");
        assertThat(custify.person("u1").path("custom_attributes").path("plan").asText()).isEqualTo("pro");
        assertThat(custify.person("u1").path("companies").toString()).isEqualTo("[\"c-1\"]");
        assertThat(custify.company("c-1").path("name").asText()).isEqualTo("Acme");
        assertThat(custify.events()).singleElement().satisfies(e -> assertThat(e.path("name").asText()).isEqualTo("Signed Up"));
    }

    /** A throttle answered as CU-MCP describes it (429 with Retry-After) is retried with that delay. */
    @Test
    void throttle_isRetriedAfterCustifysRetryAfter() {
        custify.failNext(429, 1);
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u1\"}");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(sqs.visibilityChanges.get(0).entries().get(0).visibilityTimeout()).as("Retry-After").isEqualTo(10);
    }

    @Test
    void integrationsObject_canSwitchCustifyOff_D13() {
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u\",\"integrations\":{\"All\":false}}",
                "{\"type\":\"identify\",\"userId\":\"u\",\"integrations\":{\"All\":false,\"Custify\":true}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).hasSize(1);
    }
}
