package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventProcessorTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    final AtomicReference<String> settings = new AtomicReference<>("{\"apiKey\":\"sekret-key-123\"}");
    EventProcessor<JsonNode> processor;

    @BeforeEach
    void setUp() {
        SettingsSource source = new SettingsSource() {
            @Override
            public JsonNode current() {
                try {
                    return Json.parse(settings.get());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String apiKey() {
                JsonNode key = current().get("apiKey");
                return key == null || !key.isTextual() ? null : key.textValue();
            }

            @Override
            public void refresh() {
            }
        };
        processor = new EventProcessor<>(new TestDestination(), source, new VendorHttp(Duration.ofSeconds(1), Duration.ofSeconds(2)), stub.baseUrl());
    }

    private Verdict process(String body) {
        return processor.process(body, new BatchMemo());
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "not json                       | INVALID_EVENT | message body is not valid JSON",
            "\"text\"                       | INVALID_EVENT | message body is string, not a JSON object",
            "''                             | INVALID_EVENT | message body is empty, not a JSON object",
            "{\"userId\":\"u\"}             | INVALID_EVENT | Type missing",
            "{\"type\":\"Shout\"}           | INVALID_EVENT | Type shout unknown",
            "{\"type\":\"page\"}            | NOT_HANDLED   | test does not handle page events",
            "{\"type\":\"TRACK\",\"integrations\":{\"Test\":false}} | DISABLED | the event's integrations object disables test"})
    void bodyAndTypeChecks_endBeforeAnyVendorCall(String body, Reason reason, String detail) {
        Verdict o = process(body);
        assertThat(o.reason()).isEqualTo(reason);
        assertThat(o.detail()).startsWith(detail);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void theGatesAreAskedInTheirOrder_theFirstToStopDecides() {
        settings.set("{\"broken\":true}"); // the settings gate would stop every event that reaches it
        assertThat(process("{\"type\":\"page\",\"integrations\":{\"Test\":false}}").reason()).isEqualTo(Reason.DISABLED);
        assertThat(process("{\"type\":\"page\"}").reason()).isEqualTo(Reason.NOT_HANDLED);
        assertThat(process("{\"type\":\"track\"}").reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(EventProcessor.gates(new TestDestination(), DeliveredEvents.none(), Suppressions.none(), dev.destinations.delivery.gate.EventFilter.NONE))
                .extracting(g -> g.getClass().getSimpleName())
                .containsExactly("TypeGate", "IntegrationsGate", "HandledTypesGate", "SuppressionGate", "SettingsGate", "ConsentGate", "FilterGate", "DuplicateGate");
    }

    @Test
    void aConsentDeniedEvent_isSkippedBeforeAnyVendorCall() {
        settings.set("{\"apiKey\":\"k\",\"oneTrustCookieCategories\":[{\"oneTrustCookieCategory\":\"C0004\"}]}");
        Verdict o = process("{\"type\":\"track\",\"userId\":\"u1\",\"context\":{\"consentManagement\":{\"deniedConsentIds\":[\"C0004\"]}}}");
        assertThat(o.reason()).isEqualTo(Reason.CONSENT_DENIED);
        assertThat(stub.requests()).isEmpty();
        assertThat(process("{\"type\":\"track\",\"userId\":\"u1\",\"context\":{\"consentManagement\":{\"deniedConsentIds\":[\"C0002\"]}}}").delivered()).isTrue();
    }

    @Test
    void dropFields_neverReachTheVendor_whateverTheFlowReads() {
        settings.set("{\"apiKey\":\"k\",\"dropFields\":[\"properties.seq\"]}");
        assertThat(process("{\"type\":\"track\",\"userId\":\"u1\",\"properties\":{\"seq\":7}}").delivered()).isTrue();
        assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.body()).doesNotContain("seq"));
    }

    @Test
    void invalidDataControls_areConfiguration_likeAnyOtherSetting() {
        settings.set("{\"apiKey\":\"k\",\"eventFilteringOption\":\"allow\"}");
        assertThat(process("{\"type\":\"track\",\"userId\":\"u1\"}").reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void theTypeIsReadOnceWithTheBody_andNamedForLogs() {
        assertThat(MessageBody.readOne("{\"type\":\"TRACK\"}").type()).isEqualTo(dev.destinations.mapping.EventType.TRACK);
        assertThat(MessageBody.readOne("{\"type\":\"TRACK\"}").typeName()).isEqualTo("track");
        assertThat(MessageBody.readOne("{\"type\":\"shout\"}").typeName()).isEqualTo("unknown");
        assertThat(MessageBody.readOne("{\"userId\":\"u\"}").typeName()).isEqualTo("missing");
        assertThat(MessageBody.readOne("not json").typeName()).isEqualTo("unreadable");
    }

    @Test
    void deeplyNestedBody_isAnInvalidEvent_notACrash() {
        String body = "{\"type\":\"track\",\"p\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(process(body).reason()).isEqualTo(Reason.INVALID_EVENT);
    }

    @Test
    void delivered_countsItsVendorCalls() {
        Verdict o = process("{\"type\":\"track\",\"userId\":\"u1\",\"properties\":{\"action\":\"twoCalls\"}}");
        assertThat(o.delivered()).isTrue();
        assertThat(o.vendorCalls()).isEqualTo(2);
        assertThat(stub.requests()).extracting(VendorStub.Recorded::path).containsExactly("/lookup/u1", "/items");
    }

    @Test
    void missingApiKey_isConfiguration_andNothingIsSent() {
        settings.set("{}");
        Verdict o = process("{\"type\":\"track\",\"userId\":\"u1\"}");
        assertThat(o.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(o.disposition()).isEqualTo(Reason.Disposition.RETRY);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void invalidSettings_isConfiguration() {
        settings.set("{\"apiKey\":\"k\",\"broken\":true}");
        assertThat(process("{\"type\":\"track\",\"userId\":\"u1\"}").detail()).isEqualTo("broken must be false");
    }

    @Test
    void notFound_isDependencyNotReady_theReceiveCountIsTheRetryPolicysToWeigh_D11() {
        Verdict o = process("{\"type\":\"track\",\"userId\":\"u1\",\"properties\":{\"action\":\"notFound\"}}");
        assertThat(o.reason()).isEqualTo(Reason.DEPENDENCY_NOT_READY);
        assertThat(o.detail()).isEqualTo("No user found");
    }

    @Test
    void validationAndBugs_areClassified_neverThrown() {
        assertThat(process("{\"type\":\"track\",\"userId\":\"u\",\"properties\":{\"action\":\"validate\"}}").reason()).isEqualTo(Reason.VALIDATION);
        Verdict bug = process("{\"type\":\"track\",\"userId\":\"u\",\"properties\":{\"action\":\"bug\"}}");
        assertThat(bug.reason()).isEqualTo(Reason.INTERNAL_ERROR);
        assertThat(bug.detail()).startsWith("unexpected NullPointerException at ");
    }

    @Test
    void missingIdentity_isSkippedAsUnidentifiedForTrack_butStaysValidationForIdentify_D20() {
        Verdict track = process("{\"type\":\"track\",\"anonymousId\":\"a\",\"properties\":{\"action\":\"anonymous\"}}");
        assertThat(track.reason()).isEqualTo(Reason.UNIDENTIFIED);
        assertThat(track.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(track.detail()).as("the reference's message is the detail").isEqualTo("No user to deliver for");
        Verdict identify = process("{\"type\":\"identify\",\"anonymousId\":\"a\",\"properties\":{\"action\":\"anonymous\"}}");
        assertThat(identify.reason()).isEqualTo(Reason.VALIDATION);
        assertThat(identify.disposition()).isEqualTo(Reason.Disposition.PARK);
    }

    @Test
    void vendorBodyEchoingSecretsAndPersonalValues_isRedacted() {
        stub.respond(r -> VendorStub.Reply.json(400, "{\"error\":\"key sekret-key-123 and ada.l@example.com / +44 7700 900123 / Ada Lovelace rejected\"}"));
        Verdict o = process("{\"type\":\"track\",\"userId\":\"u1\",\"traits\":{\"phone\":\"+44 7700 900123\",\"name\":\"Ada Lovelace\"}}");
        assertThat(o.reason()).isEqualTo(Reason.VENDOR_REJECTED);
        assertThat(o.detail()).startsWith("Item rejected (HTTP 400:")
                .doesNotContain("sekret-key-123").doesNotContain("ada.l@example.com").doesNotContain("7700 900123").doesNotContain("Lovelace");
    }
}
