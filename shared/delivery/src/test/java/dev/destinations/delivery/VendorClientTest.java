package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VendorClientTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    static final VendorHttp HTTP = new VendorHttp(Duration.ofMillis(500), Duration.ofMillis(400));
    final AtomicReference<String> key = new AtomicReference<>("key-1");
    final AtomicInteger refreshes = new AtomicInteger();
    VendorClient client;

    @BeforeEach
    void reset() {
        client = new VendorClient(HTTP, k -> Map.of("Authorization", "Bearer " + k), new Credentials() {
            @Override
            public String apiKey() {
                return key.get();
            }

            @Override
            public void refresh() {
                refreshes.incrementAndGet();
                key.set("key-2");
            }
        });
    }

    @Test
    void call_sendsJsonWithAuthAndExtraHeaders() {
        client.call(VendorRequest.post(stub.baseUrl() + "/people", Json.object().put("a", 1)).header("Accept", "application/json"));
        var r = stub.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Authorization")).isEqualTo("Bearer key-1");
        assertThat(r.header("Accept")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"a\":1}");
        assertThat(client.calls()).isEqualTo(1);
    }

    @Test
    void unauthorized_refreshesTheKeyOnceAndRepeats() {
        stub.respond(r -> "Bearer key-2".equals(r.header("Authorization")) ? VendorStub.Reply.json(200, "{}") : VendorStub.Reply.status(401));
        client.call(VendorRequest.get(stub.baseUrl() + "/x"));
        assertThat(refreshes).hasValue(1);
        assertThat(stub.requests()).extracting(r -> r.header("Authorization")).containsExactly("Bearer key-1", "Bearer key-2");
    }

    @Test
    void unauthorizedTwice_isAnAuthFailure_afterExactlyOneRefresh() {
        stub.respond(r -> VendorStub.Reply.status(401));
        assertThatThrownBy(() -> client.call(VendorRequest.get(stub.baseUrl() + "/x")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.AUTH));
        assertThat(refreshes).hasValue(1);
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void find_404IsEmpty_503Throws() {
        stub.respond(r -> VendorStub.Reply.json(404, "{}"));
        assertThat(client.find(VendorRequest.get(stub.baseUrl() + "/users/1"), "lookup")).isEmpty();
        stub.respond(r -> VendorStub.Reply.json(503, "{}"));
        assertThatThrownBy(() -> client.find(VendorRequest.get(stub.baseUrl() + "/users/1"), "lookup"))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.VENDOR_UNAVAILABLE));
    }

    @Test
    void delete_2xxAnd404AreDone_otherAnswersFailWithTheStepsText() {
        stub.respond(r -> VendorStub.Reply.json(404, "{}"));
        client.delete(VendorRequest.delete(stub.baseUrl() + "/people?user_id=1"), VendorClient.Step.named("delete"));
        stub.respond(r -> VendorStub.Reply.json(204, ""));
        client.delete(VendorRequest.delete(stub.baseUrl() + "/people?user_id=1"), VendorClient.Step.named("delete"));
        stub.respond(r -> VendorStub.Reply.json(400, "{\"e\":\"no\"}"));
        assertThatThrownBy(() -> client.delete(VendorRequest.delete(stub.baseUrl() + "/people?user_id=1"),
                VendorClient.Step.describedBy(r -> "said " + r.body())))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.reason()).isEqualTo(Reason.VENDOR_REJECTED);
                    assertThat(f.getMessage()).as("the step's own text, then the status, no second excerpt").isEqualTo("said {\"e\":\"no\"} (HTTP 400)");
                    assertThat(f.vendorStatus()).isEqualTo(400);
                });
    }

    @Test
    void require_404ThrowsWhatTheFlowMakesOfIt_2xxIsReturned_otherAnswersAreClassified() {
        stub.respond(r -> VendorStub.Reply.json(404, "{\"why\":\"gone\"}"));
        assertThatThrownBy(() -> client.require(VendorRequest.get(stub.baseUrl() + "/u/1"), VendorClient.Step.named("fetch"),
                absent -> Delivery.notFound("no user: " + absent.body())))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.reason()).isEqualTo(Reason.DEPENDENCY_NOT_READY);
                    assertThat(f.getMessage()).isEqualTo("no user: {\"why\":\"gone\"}");
                });
        stub.respond(r -> VendorStub.Reply.json(200, "{\"id\":1}"));
        assertThat(client.require(VendorRequest.get(stub.baseUrl() + "/u/1"), VendorClient.Step.named("fetch"), a -> Delivery.notFound("x"))
                .body()).isEqualTo("{\"id\":1}");
        stub.respond(r -> VendorStub.Reply.json(429, "{}"));
        assertThatThrownBy(() -> client.require(VendorRequest.get(stub.baseUrl() + "/u/1"), VendorClient.Step.named("fetch"), a -> Delivery.notFound("x")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED));
    }

    @Test
    void updateOrCreate_createsOnlyWhenTheUpdateAnswers404() {
        stub.respond(r -> r.method().equals("PUT") ? VendorStub.Reply.json(404, "{}") : VendorStub.Reply.json(201, "{\"created\":true}"));
        var written = client.updateOrCreate(VendorRequest.put(stub.baseUrl() + "/a/1", Json.object()), VendorClient.Step.named("update"),
                VendorRequest.post(stub.baseUrl() + "/a", Json.object()), VendorClient.Step.named("create"));
        assertThat(written.body()).isEqualTo("{\"created\":true}");
        assertThat(stub.requests()).extracting(VendorStub.Recorded::method).containsExactly("PUT", "POST");

        stub.respond(r -> r.method().equals("PUT") ? VendorStub.Reply.json(500, "{}") : VendorStub.Reply.json(201, "{}"));
        assertThatThrownBy(() -> client.updateOrCreate(VendorRequest.put(stub.baseUrl() + "/a/1", Json.object()), VendorClient.Step.named("update"),
                VendorRequest.post(stub.baseUrl() + "/a", Json.object()), VendorClient.Step.named("create")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.getMessage()).startsWith("update (HTTP 500"));
    }

    @Test
    void baseUrlOverride_isTrimmedOnce_blankIsUnset() {
        assertThat(BaseUrl.override(null)).isNull();
        assertThat(BaseUrl.override("  ")).isNull();
        assertThat(BaseUrl.override(" http://127.0.0.1:9/v1/ ")).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(BaseUrl.override("http://127.0.0.1:9/v1")).isEqualTo("http://127.0.0.1:9/v1");
    }

    @Test
    void slowVendor_isANetworkFailure_notRepeated() {
        stub.respond(r -> VendorStub.Reply.json(200, "{}").after(Duration.ofMillis(1500)));
        assertThatThrownBy(() -> client.call(VendorRequest.get(stub.baseUrl() + "/slow")))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.reason()).isEqualTo(Reason.NETWORK);
                    assertThat(f.getMessage()).startsWith("GET /slow failed: no response from the vendor").contains("timeout");
                });
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void droppedConnection_idempotentCallIsRepeatedOnce_postIsNot() {
        AtomicInteger n = new AtomicInteger();
        stub.respond(r -> n.incrementAndGet() == 1 ? VendorStub.Reply.drop() : VendorStub.Reply.json(200, "{}"));
        client.call(VendorRequest.put(stub.baseUrl() + "/x", Json.object()));
        assertThat(stub.requests()).hasSize(2);

        stub.reset();
        stub.respond(r -> VendorStub.Reply.drop());
        assertThatThrownBy(() -> client.call(VendorRequest.post(stub.baseUrl() + "/x", Json.object())))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NETWORK));
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void refusedConnection_isANetworkFailure() {
        VendorClient c = new VendorClient(HTTP, k -> Map.of(), fixedKey());
        assertThatThrownBy(() -> c.call(VendorRequest.get("http://127.0.0.1:1/x")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NETWORK));
    }

    @Test
    void defaultMessage_namesMethodAndPathButNeverTheQuery() {
        assertThat(VendorClient.defaultMessage(VendorRequest.get("https://x.user.com/api/users/search/?email=a%40b.c")))
                .isEqualTo("GET /api/users/search/ failed");
    }

    @Test
    void inProcessVendor_getsTheRequestAsBuiltAndItsAnswerIsClassifiedLikeHttp() {
        java.util.List<VendorRequest> seen = new java.util.ArrayList<>();
        VendorClient inProcess = new VendorClient(VendorHttp.inProcess(r -> {
            seen.add(r);
            return new VendorResponse(r.method().equals("GET") ? 404 : 200, null, "{}");
        }), k -> Map.of(), fixedKey());
        assertThat(inProcess.find(VendorRequest.get("https://vendor.invalid/users/1"), "lookup failed")).isEmpty();
        inProcess.call(VendorRequest.post("https://vendor.invalid/users", Json.object().put("a", 1)));
        assertThat(seen).extracting(VendorRequest::method, VendorRequest::url)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "https://vendor.invalid/users/1"),
                        org.assertj.core.groups.Tuple.tuple("POST", "https://vendor.invalid/users"));
        assertThat(seen.get(1).body()).isEqualTo(Json.object().put("a", 1));
        assertThat(stub.requests()).isEmpty();
    }

    /** Statuses that HttpURLConnection handles itself in streaming mode (401, 407, redirects) must reach us as answers. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"POST", "PUT"})
    void writes_getEveryStatusAsAnAnswer_evenThoseTheJdkWouldRetry(String method) {
        for (int status : new int[] {401, 407, 301, 302, 307, 308, 403, 429, 500}) {
            stub.reset();
            stub.respond(r -> VendorStub.Reply.json(status, "{\"status\":" + status + "}").withHeader("WWW-Authenticate", "Bearer realm=\"x\"")
                    .withHeader("Proxy-Authenticate", "Basic realm=\"x\"").withHeader("Location", stub.baseUrl() + "/elsewhere"));
            VendorRequest request = method.equals("POST") ? VendorRequest.post(stub.baseUrl() + "/people", Json.object().put("a", 1))
                    : VendorRequest.put(stub.baseUrl() + "/people/1", Json.object().put("a", 1));
            VendorResponse r = client.send(request);
            assertThat(r.status()).as(method + " answered " + status).isEqualTo(status);
            assertThat(stub.requests()).as("never followed a redirect").allSatisfy(q -> assertThat(q.path()).startsWith("/people"));
        }
    }

    @Test
    void aVendorThatKeepsFailing_opensTheInstancesCircuit_andLaterCallsAreNotSent() {
        stub.respond(r -> VendorStub.Reply.json(503, "{}"));
        Circuit circuit = new Circuit(3, Duration.ofMinutes(1), System::nanoTime);
        for (int message = 0; message < 5; message++) {
            VendorClient perMessage = new VendorClient(HTTP, k -> Map.of(), fixedKey(), circuit, RateBudget.unlimited(), Long.MAX_VALUE);
            assertThatThrownBy(() -> perMessage.call(VendorRequest.get(stub.baseUrl() + "/x")))
                    .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isIn(Reason.VENDOR_UNAVAILABLE, Reason.CIRCUIT_OPEN));
        }

        assertThat(stub.requests()).as("only the failures that opened it reached the vendor").hasSize(3);
        assertThat(circuit.state()).isEqualTo(Circuit.State.OPEN);
    }

    @Test
    void rejectionsAndAnswersTheVendorIsUpFor_keepTheCircuitClosed() {
        Circuit circuit = new Circuit(2, Duration.ofMinutes(1), System::nanoTime);
        for (int status : new int[] {400, 404, 429, 409, 200}) {
            stub.reset();
            stub.respond(r -> VendorStub.Reply.json(status, "{}"));
            new VendorClient(HTTP, k -> Map.of(), fixedKey(), circuit, RateBudget.unlimited(), Long.MAX_VALUE).send(VendorRequest.get(stub.baseUrl() + "/x"));
        }
        assertThat(circuit.state()).isEqualTo(Circuit.State.CLOSED);
    }

    @Test
    void aCallWhoseRateBudgetTurnComesAfterTheDeadline_isNotSent() {
        RateBudget oneASecond = new RateBudget(1, System::nanoTime);
        VendorClient c = new VendorClient(HTTP, k -> Map.of(), fixedKey(), Circuit.never(), oneASecond, System.nanoTime() + 100_000_000L);
        c.call(VendorRequest.get(stub.baseUrl() + "/x"));

        assertThatThrownBy(() -> c.call(VendorRequest.get(stub.baseUrl() + "/x")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED));
        assertThat(stub.requests()).hasSize(1);
        assertThat(c.calls()).isEqualTo(1);
    }

    private static Credentials fixedKey() {
        return new Credentials() {
            @Override
            public String apiKey() {
                return "k";
            }

            @Override
            public void refresh() {
            }
        };
    }
}
