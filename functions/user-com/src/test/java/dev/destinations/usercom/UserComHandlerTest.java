package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** User.com's flows through the real handler: HTTP on a loopback stub, in-memory SQS and secret. */
class UserComHandlerTest {
    static final String PREFIX = "/api/public";
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    InMemorySqs sqs;
    Map<String, String> env;
    FixedSecret secret;
    final Map<String, Verdict> outcomes = new ConcurrentHashMap<>();
    final Map<String, Outcome> results = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        secret = FixedSecret.of("{\"apiKey\":\"uk-test-key\"}");
        outcomes.clear();
        results.clear();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{\"appSubdomain\":\"commander\"}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + PREFIX + "/", "DEPENDENCY_RETRY_RECEIVES", "3"));
    }

    private SQSBatchResponse run(SQSEvent event) {
        UserComHandler handler = new UserComHandler(new DestinationHandler.Wiring(env, sqs, secret,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, type, result, outcome) -> {
                    outcomes.put(m.getMessageId(), outcome);
                    results.put(m.getMessageId(), result);
                }));
        return handler.handleRequest(event, TestContext.of30Seconds());
    }

    private SQSBatchResponse run(String... bodies) {
        return run(SqsEvents.ofBodies(bodies));
    }

    private UserComSandbox fake() {
        UserComSandbox fake = new UserComSandbox(PREFIX);
        stub.respond(fake);
        return fake;
    }

    private List<String> calls() {
        return stub.requests().stream().map(r -> r.method() + " " + r.path().substring(PREFIX.length())).toList();
    }

    private String parked(String attribute) {
        assertThat(sqs.sent).hasSize(1);
        return sqs.sent.get(0).messageAttributes().get(attribute).stringValue();
    }

    // ---- identify ----------------------------------------------------------------------------------------------

    /**
     * The delivered flows: golden cases of {@code src/test/resources/golden-flow/<case>/} ({@code in.json} the message
     * body, {@code settings.json} the destination settings, {@code vendor.json} the users and companies the fake
     * User.com holds, {@code out.json} the vendor requests in order, below {@code /api/public}, as {@link Golden#requests}
     * writes them). Each must be delivered: nothing retried, nothing parked.
     */
    @TestFactory
    Stream<DynamicTest> goldenFlows() {
        return Golden.tests(Golden.FLOW_DIR, c -> {
            stub.reset();
            sqs = new InMemorySqs();
            UserComSandbox fake = fake();
            JsonNode vendor = c.json("vendor.json", "{}");
            vendor.path("users").forEach(u -> fake.user(u.get("custom_id").asText(), u.get("id").asInt(), u.path("email").asText(null)));
            vendor.path("companies").forEach(co -> fake.company(co.get("custom_id").asText(), co.get("id").asInt()));
            env.put("DESTINATION_SETTINGS", c.json("settings.json").toString());
            SQSBatchResponse response = run(c.in().toString());
            assertThat(response.getBatchItemFailures()).as("retried").isEmpty();
            assertThat(sqs.sent).as("parked").isEmpty();
            return Golden.requests(stub.requests(), PREFIX);
        });
    }

    /** Its requests: golden flow identify-email-with-plus-is-looked-up-percent-encoded-d5. */
    @Test
    void identify_everyCallCarriesUserComsHeaders() throws Exception {
        fake().user("u9", 9, "ada+news@example.com");
        SQSBatchResponse response = run("{\"type\":\"identify\",\"anonymousId\":\"anon\",\"traits\":{\"email\":\"ada+news@example.com\"}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).hasSize(2);
        assertThat(stub.requests()).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Token uk-test-key");
            assertThat(r.header("Accept")).isEqualTo("*/*;version=2");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
    }

    /** By userId identify is one upsert (D32): an outage is retried, and the upsert cannot create a second user. */
    @Test
    void identify_upsertUnavailableThrottledOrUnreachable_isRetried_D1() {
        Map<VendorStub.Reply, String> cases = Map.of(
                VendorStub.Reply.json(503, "{\"detail\":\"down\"}"), "vendor_unavailable",
                VendorStub.Reply.json(429, "{}").withHeader("Retry-After", "7"), "rate_limited",
                VendorStub.Reply.status(408), "vendor_unavailable",
                VendorStub.Reply.drop(), "network");
        cases.forEach((reply, reason) -> {
            stub.reset();
            stub.respond(r -> reply);
            outcomes.clear();
            SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{}}");
            assertThat(response.getBatchItemFailures()).as(reason).hasSize(1);
            assertThat(outcomes.get("m1").reason().code()).isEqualTo(reason);
            assertThat(calls()).as(reason).containsOnly("POST /users/update_or_create/");
            assertThat(outcomes.get("m1").detail()).as(reason).startsWith("User update or create failed");
        });
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void identify_lookupForbidden_isParkedAsAuth_notACreate_D1() {
        stub.respond(r -> VendorStub.Reply.json(403, "{\"detail\":\"forbidden\"}"));
        run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\"},\"integrations\":{\"user\":{\"lookup\":\"email\"}}}");
        assertThat(calls()).containsExactly("GET /users/search/");
        assertThat(parked("reason")).isEqualTo("auth");
        assertThat(parked("detail")).isEqualTo("User lookup failed (HTTP 403: {\"detail\":\"forbidden\"})");
    }

    @Test
    void identify_invalidGender_isRejectedBeforeTheLookup_D10() {
        fake();
        run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"gender\":\"x\"}}");
        assertThat(stub.requests()).isEmpty();
        assertThat(parked("reason")).isEqualTo("validation");
        assertThat(parked("detail")).isEqualTo("Invalid entry for key gender");
    }

    @Test
    void identify_phoneLookup_noMatchOrSeveral_isAPermanentValidationFailure() {
        String body = "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"phone\":\"+48 600\"},\"integrations\":{\"user\":{\"lookup\":\"phone\"}}}";
        stub.respond(r -> VendorStub.Reply.json(200, "{\"results\":[]}"));
        run(body);
        assertThat(parked("reason")).isEqualTo("validation");
        assertThat(parked("detail")).isEqualTo(UserComDestination.NO_MATCH);
        assertThat(stub.requests().get(0).query()).containsEntry("phone_number", "+48 600");

        sqs.sent.clear();
        stub.reset();
        stub.respond(r -> VendorStub.Reply.json(200, "{\"results\":[{\"id\":1},{\"id\":2}]}"));
        run(body);
        assertThat(parked("detail")).isEqualTo(UserComDestination.SEVERAL_MATCHES);
        assertThat(stub.requests()).hasSize(1);

        sqs.sent.clear();
        stub.reset();
        stub.respond(r -> r.method().equals("GET") ? VendorStub.Reply.json(200, "{\"results\":[{\"id\":5,\"user_key\":\"k5\"}]}") : VendorStub.Reply.json(200, "{}"));
        run(body);
        assertThat(calls()).containsExactly("GET /users/search/", "PUT /users/5/");
    }

    // ---- D31, D33 -----------------------------------------------------------------------------------------------

    /** D31: the values are cut, the event delivered; the log line and the metric name the field, never the value. */
    @Test
    void valuesCut_areDelivered_theLogLineAndMetricNameTheField_neverTheValue_D31() throws Exception {
        fake();
        String longName = "Maximiliana-Wilhelmina-Konstantina-Alexandra";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UserComHandler handler = new UserComHandler(new DestinationHandler.Wiring(env, sqs, secret,
                new PrintStream(log, true, StandardCharsets.UTF_8), (c, m, type, result, outcome) -> results.put(m.getMessageId(), result)));
        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"firstName\":\"" + longName
                + "\",\"lastName\":\"" + longName + "\"}}"), TestContext.of30Seconds());

        assertThat(results.get("m1")).isEqualTo(Outcome.DELIVERED);
        assertThat(Json.parse(stub.requests().get(0).body()).get("first_name").asText()).isEqualTo(longName.substring(0, 40));
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(longName).doesNotContain(longName.substring(0, 40));
        List<JsonNode> lines = text.lines().map(l -> { try { return Json.parse(l); } catch (java.io.IOException e) { throw new IllegalStateException(e); } }).toList();
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("outcome").asText()).isEqualTo("delivered");
            assertThat(l.path("values_cut")).extracting(JsonNode::asText).containsExactly("first_name", "last_name");
        });
        assertThat(lines).filteredOn(l -> l.has("ValuesCut")).extracting(l -> l.path("Field").asText() + "=" + l.path("ValuesCut").asInt())
                .containsExactlyInAnyOrder("first_name=1", "last_name=1");
    }

    /** D33: a userId no path can hold is never put in one; identify, track and group use the upsert by it. */
    @Test
    void reservedCharacterUserId_neverSitsInAPath_andIsNeverLookedUp_D33() {
        fake();
        String id = "acme/ada?x=1#%";
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"" + id + "\",\"traits\":{\"firstName\":\"Ada\"}}",
                TRACK.replace("\"u1\"", "\"" + id + "\""), GROUP.replace("user@123", id));
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        assertThat(calls()).containsExactly("POST /users/update_or_create/", "POST /events/", "PUT /companies-by-id/group@795/",
                "POST /companies/", "POST /companies/1002/add_member/");
        assertThat(stub.requests()).noneMatch(r -> r.rawPath().contains("acme"));
    }

    /** D33: a group id no path can hold is created once, then written by the company id this instance learned. */
    @Test
    void reservedCharacterGroupId_isCreatedThenWrittenByItsCompanyId_D33() {
        UserComSandbox fake = fake().user("user@123", 52, null);
        String group = GROUP.replace("group@795", "acme/eu");
        run(group, group.replace("rudder ventures", "Rudder Ventures EU"));
        assertThat(calls()).containsExactly("GET /users-by-id/user@123/", "POST /companies/", "POST /companies/1001/add_member/",
                "PUT /companies/1001/", "POST /companies/1001/add_member/");
        assertThat(fake.companyByCustomId("acme/eu").get("name").asText()).isEqualTo("Rudder Ventures EU");
        assertThat(sqs.sent).isEmpty();
    }

    /** D32: an upsert answers no user key; a page of that user reads it once by the numeric id, then remembers it. */
    @Test
    void pageAfterAnUpsert_readsTheUserKeyOnceByTheNumericId_D32() {
        UserComSandbox fake = fake().user("43", 44, null);
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"43\",\"traits\":{\"plan\":\"pro\"}}", PAGE, PAGE);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("POST /users/update_or_create/", "GET /users/44/", "POST /site-views/", "POST /site-views/");
        assertThat(fake.siteViews()).extracting(v -> v.get("client_user").asText()).containsExactly("key-44", "key-44");
    }

    // ---- D15 ---------------------------------------------------------------------------------------------------

    @Test
    void auth401_refreshesTheSecretOnce_andRepeatsTheCall_D15() {
        AtomicInteger reads = new AtomicInteger();
        secret = new FixedSecret(() -> reads.incrementAndGet() == 1 ? "{\"apiKey\":\"old-key\"}" : "{\"apiKey\":\"new-key\"}");
        UserComSandbox fake = new UserComSandbox(PREFIX).user("u1", 27, null);
        stub.respond(r -> "Token old-key".equals(r.header("Authorization")) ? VendorStub.Reply.json(401, "{\"detail\":\"bad token\"}") : fake.answer(r));
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{}}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(results.get("m1")).isEqualTo(Outcome.DELIVERED);
        assertThat(calls()).containsExactly("POST /users/update_or_create/", "POST /users/update_or_create/");
        assertThat(stub.requests()).extracting(r -> r.header("Authorization")).containsExactly("Token old-key", "Token new-key");
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void auth401Twice_isParkedAsAuth_D15() {
        stub.respond(r -> VendorStub.Reply.json(401, "{\"detail\":\"bad token\"}"));
        run("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"login\"}");
        assertThat(stub.requests()).hasSize(2);
        assertThat(parked("reason")).isEqualTo("auth");
        assertThat(parked("vendor_status")).isEqualTo("401");
    }

    // ---- track and page, D11 -----------------------------------------------------------------------------------

    static final String TRACK = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"login\",\"properties\":{\"plan\":\"pro\"},"
            + "\"timestamp\":\"2022-09-13T20:12:44.757+05:30\"}";

    @Test
    void track_noUser_isRetriedWhileYoung_thenParkedNotFoundWithTheReferenceMessage_D11() {
        fake();
        SQSBatchResponse first = run(SqsEvents.of(SqsEvents.message("t1", TRACK, 1)));
        assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("t1");
        assertThat(outcomes.get("t1").reason().code()).isEqualTo("dependency_not_ready");
        assertThat(sqs.sent).isEmpty();
        assertThat(calls()).containsExactly("POST /users-by-id/u1/events/");

        SQSBatchResponse third = run(SqsEvents.of(SqsEvents.message("t1", TRACK, 3)));
        assertThat(third.getBatchItemFailures()).isEmpty();
        assertThat(results.get("t1")).isEqualTo(Outcome.PARKED);
        assertThat(parked("reason")).isEqualTo("not_found");
        assertThat(parked("detail")).isEqualTo(UserComDestination.TRACK_NO_USER);
        assertThat(calls()).containsOnly("POST /users-by-id/u1/events/"); // each answered 404: nothing written
    }

    @Test
    void track_withoutEvent_isRejectedWithoutAnyCall_D10() {
        fake();
        run("{\"type\":\"track\",\"userId\":\"u1\",\"properties\":{}}");
        assertThat(stub.requests()).isEmpty();
        assertThat(parked("detail")).isEqualTo("Parameter event is required");
    }

    static final String PAGE = "{\"type\":\"page\",\"userId\":\"43\",\"context\":{\"page\":{\"path\":\"/testing\",\"url\":\"https://pagecall.com/testing\"}},"
            + "\"timestamp\":\"2021-01-04T14:13:05.801+05:30\"}";

    @Test
    void page_noUserAtTheLastDependencyReceive_isParkedWithThePageMessage_D11() {
        fake();
        run(SqsEvents.of(SqsEvents.message("p1", PAGE, 3)));
        assertThat(parked("reason")).isEqualTo("not_found");
        assertThat(parked("detail")).isEqualTo(UserComDestination.PAGE_NO_USER);
    }

    @Test
    void page_withoutUrl_isRejectedBeforeTheLookup_D10() {
        fake().user("43", 44, null);
        run(PAGE.replace("\"url\":\"https://pagecall.com/testing\"", "\"title\":\"t\""));
        assertThat(stub.requests()).isEmpty();
        assertThat(parked("detail")).isEqualTo("Parameter url is required");
    }

    // ---- group -------------------------------------------------------------------------------------------------

    static final String GROUP = "{\"type\":\"group\",\"userId\":\"user@123\",\"groupId\":\"group@795\",\"traits\":{\"name\":\"rudder ventures\"}}";

    @Test
    void group_companyWriteFailing_isClassifiedLikeAnyCall_andNoMemberIsAdded_D2() {
        UserComSandbox fake = new UserComSandbox(PREFIX).user("user@123", 52, null);
        stub.respond(r -> r.method().equals("POST") && r.path().endsWith("/companies/") ? VendorStub.Reply.json(500, "{}") : fake.answer(r));
        SQSBatchResponse response = run(GROUP);
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(outcomes.get("m1").detail()).startsWith("Company create failed (HTTP 500");
        assertThat(calls()).doesNotContain("POST /companies/1001/add_member/").last().isEqualTo("POST /companies/");

        stub.reset();
        stub.respond(r -> r.method().equals("POST") && r.path().endsWith("/companies/") ? VendorStub.Reply.json(422, "{\"name\":[\"bad\"]}") : fake.answer(r));
        run(GROUP);
        assertThat(parked("reason")).isEqualTo("vendor_rejected");
        assertThat(parked("detail")).isEqualTo("Company create failed (HTTP 422: {\"name\":[\"bad\"]})");
    }

    @Test
    void group_userNotFound_isParkedAtTheLastDependencyReceive_withTheReferenceMessage_D11() {
        fake();
        run(SqsEvents.of(SqsEvents.message("g1", GROUP, 3)));
        assertThat(calls()).containsExactly("GET /users-by-id/user@123/");
        assertThat(parked("reason")).isEqualTo("not_found");
        assertThat(parked("detail")).isEqualTo(UserComDestination.GROUP_NO_USER);
    }

    @Test
    void group_withoutTraits_isParameterNameRequired_withoutAnyCall_D4() {
        fake();
        SQSBatchResponse response = run("{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\"}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).isEmpty();
        assertThat(parked("reason")).isEqualTo("validation");
        assertThat(parked("detail")).isEqualTo("Parameter name is required");
    }

    // ---- settings, types ---------------------------------------------------------------------------------------

    @Test
    void invalidSubdomain_isRetriedAsConfiguration_andNothingIsSent() {
        env.put("DESTINATION_SETTINGS", "{\"appSubdomain\":\"evil.com/x\"}");
        env.remove("VENDOR_BASE_URL");
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u1\"}");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(outcomes.get("m1").reason().code()).isEqualTo("configuration");
        assertThat(outcomes.get("m1").detail()).isEqualTo(UserComSettings.INVALID_SUBDOMAIN);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void overrideWithSubdomainPlaceholder_reachesTheSubdomainsPath() {
        env.put("VENDOR_BASE_URL", stub.baseUrl() + "/{appSubdomain}.user.com/api/public");
        stub.respond(new UserComSandbox("/commander.user.com/api/public").user("u1", 3, null));
        run("{\"type\":\"identify\",\"userId\":\"u1\"}");
        assertThat(stub.requests()).extracting(VendorStub.Recorded::path)
                .containsExactly("/commander.user.com/api/public/users/update_or_create/");
        assertThat(results.get("m1")).isEqualTo(Outcome.DELIVERED);
    }

    @Test
    void screenAndAlias_areSkipped_unknownAndMissingTypesParkedWithTheReferenceMessages_D12() {
        SQSBatchResponse response = run("{\"type\":\"screen\",\"userId\":\"u\"}", "{\"type\":\"alias\",\"userId\":\"u\"}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(results.values()).containsOnly(Outcome.SKIPPED);
        assertThat(sqs.sent).isEmpty();
        run("{\"type\":\"trackUser\",\"userId\":\"u\"}");
        assertThat(parked("detail")).isEqualTo("Event type trackuser is not supported");
        sqs.sent.clear();
        run("{\"userId\":\"u\"}");
        assertThat(parked("detail")).isEqualTo("Event type is required");
        assertThat(stub.requests()).isEmpty();
    }

    // ---- batch memo --------------------------------------------------------------------------------------------

    @Test
    void batchMemo_aCreatedUserIsSeenByTheNextEventOfTheBatch() throws Exception {
        fake();
        SQSBatchResponse response = run("{\"type\":\"identify\",\"userId\":\"u3\",\"traits\":{}}",
                GROUP.replace("user@123", "u3"));
        assertThat(response.getBatchItemFailures()).isEmpty();
        // the group's user lookup is answered by what the upsert answered: no GET
        assertThat(calls()).containsExactly("POST /users/update_or_create/", "PUT /companies-by-id/group@795/", "POST /companies/",
                "POST /companies/1002/add_member/");
        assertThat(Json.parse(stub.requests().get(3).body()).get("user_id").asInt()).isEqualTo(1001);
    }

    @Test
    void batchMemo_aFailedLookupIsNotRemembered() {
        UserComSandbox fake = new UserComSandbox(PREFIX).user("43", 44, null);
        AtomicInteger gets = new AtomicInteger();
        stub.respond(r -> r.method().equals("GET") && gets.incrementAndGet() == 1 ? VendorStub.Reply.json(503, "{}") : fake.answer(r));
        SQSBatchResponse response = run(PAGE, PAGE);
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(calls()).containsExactly("GET /users-by-id/43/", "GET /users-by-id/43/", "POST /site-views/");
    }
}
