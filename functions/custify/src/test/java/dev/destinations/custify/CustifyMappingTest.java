package dev.destinations.custify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import dev.destinations.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Custify payloads against the spec's worked examples (2.4-2.6) and decisions D6, D7, D21. Event in, body out:
 * the golden cases of {@code src/test/resources/golden/<case>/} ({@code in.json} the event, {@code settings.json} the
 * destination settings when not {@code {}}, {@code out.json} the body); the event's type picks the body (identify: the
 * person, track: the event, group: the company). The validation messages and the settings parsing stay here.
 */
class CustifyMappingTest {
    final CustifyDestination custify = new CustifyDestination();
    static final CustifySettings PLAIN = new CustifySettings(false, false, null, null);

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    @TestFactory
    Stream<DynamicTest> golden() {
        return Golden.tests(c -> {
            Event e = Event.of(c.in());
            CustifySettings settings = CustifySettings.parse(c.json("settings.json", "{}"));
            return switch (EventType.of(e.typeText())) {
                case IDENTIFY -> custify.identify(e, settings);
                case TRACK -> custify.track(e, settings);
                case GROUP -> custify.groupCompany(e);
                default -> throw new IllegalArgumentException("no Custify body for type " + e.typeText());
            };
        });
    }

    /** With sendAnonymousId the same event maps: golden case identify-anonymous-id-is-the-user-id-with-send-anonymous-id. */
    @Test
    void identify_noIds_isMandatoryError_unlessAnonymousIdIsAllowed() throws Exception {
        var anonymous = event("{\"type\":\"identify\",\"anonymousId\":\"anon-1\",\"traits\":{\"firstName\":\"Solo\"}}");
        assertThatThrownBy(() -> custify.identify(anonymous, PLAIN)).isInstanceOf(ValidationException.class).hasMessage("Email or userId is mandatory");
    }

    @Test
    void groupCompany_withoutGroupId_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> custify.groupCompany(event("{\"type\":\"group\",\"userId\":\"u\",\"traits\":{\"name\":\"x\"}}")))
                .hasMessage("groupId Id is mandatory");
    }

    @Test
    void track_requiredFieldsComeBeforeTheIdCheck() throws Exception {
        assertThatThrownBy(() -> custify.track(event("{\"type\":\"track\",\"timestamp\":\"t\"}"), PLAIN)).hasMessage("Missing required value from \"event\"");
        assertThatThrownBy(() -> custify.track(event("{\"type\":\"track\",\"event\":\"E\"}"), PLAIN))
                .hasMessage("Missing required value from [\"timestamp\",\"originalTimestamp\"]");
        assertThatThrownBy(() -> custify.track(event("{\"type\":\"track\",\"event\":\"E\",\"timestamp\":\"t\"}"), PLAIN))
                .hasMessage("Email or userId is mandatory");
    }

    @Test
    void settings_acceptBothDedupSpellings_andRejectNonBooleans() throws Exception {
        assertThat(CustifySettings.parse(Json.parse("{\"enablededuplication\":true}")).enableDeduplication()).isTrue();
        assertThat(CustifySettings.parse(Json.parse("{\"enableDeduplication\":\"true\"}")).enableDeduplication()).isTrue();
        assertThat(CustifySettings.parse(Json.parse("{\"sendAnonymousId\":false}")).sendAnonymousId()).isFalse();
        assertThatThrownBy(() -> CustifySettings.parse(Json.parse("{\"sendAnonymousId\":\"yes\"}"))).hasMessage("sendAnonymousId must be true or false");
    }

    /** D27: a Custify account on another cluster sets its API URL; only an https URL is taken (the key is sent there). */
    @Test
    void apiUrl_isTheBaseUrl_httpsOnly_andVendorBaseUrlStillWins() throws Exception {
        CustifySettings eu = CustifySettings.parse(Json.parse("{\"apiUrl\":\" https://api.eu.custify.example/ \"}"));
        assertThat(eu.apiUrl()).isEqualTo("https://api.eu.custify.example");
        assertThat(custify.baseUrl(eu, null)).isEqualTo("https://api.eu.custify.example");
        assertThat(custify.baseUrl(eu, "http://127.0.0.1:9/x")).as("VENDOR_BASE_URL (tests)").isEqualTo("http://127.0.0.1:9/x");
        assertThat(custify.baseUrl(PLAIN, null)).isEqualTo("https://api.custify.com");
        assertThat(CustifySettings.parse(Json.parse("{\"apiUrl\":\"\"}")).apiUrl()).isNull();
        for (String bad : new String[] {"\"http://api.custify.com\"", "\"https://k:s@api.custify.com\"", "\"https://api.custify.com?x=1\"",
                "\"api.custify.com\"", "\"https://\"", "42", "\"https://a b\""}) {
            assertThatThrownBy(() -> CustifySettings.parse(Json.parse("{\"apiUrl\":" + bad + "}"))).as(bad)
                    .hasMessageStartingWith("apiUrl must be the https URL of your Custify cluster's API");
        }
    }

    /** D26: the vendor's deduplication_id is unverified, so track is deduplicated here with enableDeduplication on too. */
    @Test
    void track_isDeduplicatedHere_whateverEnableDeduplicationSays() throws Exception {
        assertThat(custify.deduplicates(EventType.TRACK, PLAIN)).isTrue();
        assertThat(custify.deduplicates(EventType.TRACK, CustifySettings.parse(Json.parse("{\"enableDeduplication\":true}")))).isTrue();
        assertThat(custify.deduplicates(EventType.IDENTIFY, PLAIN)).as("an upsert").isFalse();
        assertThat(custify.deduplicates(EventType.GROUP, PLAIN)).as("an upsert").isFalse();
    }
}
