package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.VendorResponse;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.ValidationException;
import dev.destinations.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Gainsight PX payloads against the spec's worked examples (4.5-4.7), its quirks 15-17, D21, D22 and the base URLs
 * (4.1). Event in, bodies out: the golden cases of {@code src/test/resources/golden/<case>/} ({@code in.json} the
 * event, {@code settings.json} the destination settings, {@code out.json} what is sent). The event's type picks it:
 * track: the custom event; identify and group: {@code {"update": ..., "create": ...}}, the PUT body for an existing
 * user or account and the POST body the flow sends instead when that PUT answers 404 (with the id and the default
 * dates). The base URLs, the settings, the gender table, the validation messages and the error text stay here.
 */
class GainsightPxMappingTest {
    final GainsightPxDestination px = new GainsightPxDestination();

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    static GainsightPxSettings settings(String json) throws Exception {
        return GainsightPxSettings.parse(Json.parse(json));
    }

    static final String TAG = "\"productTagKey\":\"AP-XABC-123\"";

    @TestFactory
    Stream<DynamicTest> golden() {
        return Golden.tests(c -> {
            Event e = Event.of(c.in());
            GainsightPxSettings settings = GainsightPxSettings.parse(c.json("settings.json"));
            ObjectNode out = Json.object();
            switch (EventType.of(e.typeText())) {
                case TRACK -> {
                    return px.customEvent(e, settings);
                }
                case IDENTIFY -> {
                    ObjectNode update = px.identifyUser(e, settings);
                    out.set("update", update); // the very body the flow PUTs: newUser must copy, not change it
                    out.set("create", GainsightPxDestination.newUser(e, update, Lookup.generic("userId").find(e.root())));
                }
                case GROUP -> {
                    ObjectNode update = px.account(e, settings);
                    out.set("update", update);
                    out.set("create", GainsightPxDestination.newAccount(update, Lookup.generic("groupId").find(e.root())));
                }
                default -> throw new IllegalArgumentException("no Gainsight PX body for type " + e.typeText());
            }
            return out;
        });
    }

    // ----------------------------------------------------------------------------------------------- base URLs

    private String baseUrl(String settingsJson) throws Exception {
        return px.baseUrl(settings(settingsJson), null);
    }

    @Test
    void baseUrl_perDataCenter() throws Exception {
        assertThat(baseUrl("{\"dataCenter\":\"US\"}")).isEqualTo("https://api.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":\"EU\"}")).isEqualTo("https://api-eu.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":\"US2\"}")).isEqualTo("https://api-us2.aptrinsic.com/v1");
    }

    @Test
    void baseUrl_absentNonStringOrUnknownDataCenter_isUs() throws Exception {
        assertThat(baseUrl("{}")).isEqualTo("https://api.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":null}")).isEqualTo("https://api.aptrinsic.com/v1");
        // the schema's per-source object shape (quirk 15)
        assertThat(baseUrl("{\"dataCenter\":{\"web\":\"EU\"}}")).isEqualTo("https://api.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":2}")).isEqualTo("https://api.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":\"APAC\"}")).isEqualTo("https://api.aptrinsic.com/v1");
    }

    @Test
    void baseUrl_lowerCaseEu_isUs_asInTheReference() throws Exception {
        // decided: the values are matched exactly, like the reference and the UI's fixed choices
        assertThat(baseUrl("{\"dataCenter\":\"eu\"}")).isEqualTo("https://api.aptrinsic.com/v1");
        assertThat(baseUrl("{\"dataCenter\":\" EU\"}")).isEqualTo("https://api.aptrinsic.com/v1");
    }

    @Test
    void baseUrl_overrideWinsOverTheDataCenter_withoutItsTrailingSlash() throws Exception {
        // the override arrives trimmed once, by EventProcessor (BaseUrl.override)
        assertThat(px.baseUrl(settings("{\"dataCenter\":\"EU\"}"), dev.destinations.delivery.BaseUrl.override("http://127.0.0.1:9/px/ ")))
                .isEqualTo("http://127.0.0.1:9/px");
    }

    @Test
    void settings_blankOrNonTextProductTagKey_isMissing_andNeverThrows() throws Exception {
        assertThat(settings("{}").productTagKey()).isNull();
        assertThat(settings("{\"productTagKey\":\"  \"}").productTagKey()).isNull();
        assertThat(settings("{\"productTagKey\":12}").productTagKey()).isNull();
        assertThat(settings("{" + TAG + ",\"userAttributeMap\":\"oops\"}").userAttributeMap()).isEmpty();
        assertThat(settings("{" + TAG + "}").productTagKey()).isEqualTo("AP-XABC-123");
    }

    // ------------------------------------------------------------------------------------------------ identify

    @Test
    void identify_genderMap_knownSpellingsMapped_otherValuesDropped() throws Exception {
        String[][] cases = {{"f", "FEMALE"}, {"Female", "FEMALE"}, {"M", "MALE"}, {"male", "MALE"}, {"Others", "OTHER"}, {"o", "OTHER"}};
        for (String[] c : cases) {
            var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"gender\":\"" + c[0] + "\"}}");
            assertThat(px.identifyUser(e, settings("{" + TAG + "}")).get("gender").asText()).as(c[0]).isEqualTo(c[1]);
        }
        for (String dropped : new String[] {"\"x\"", "\"fEMALE\"", "1"}) {
            var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"gender\":" + dropped + "}}");
            assertThat(px.identifyUser(e, settings("{" + TAG + "}")).has("gender")).as(dropped).isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------------- errors

    @Test
    void track_withoutAnyUserId_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> px.track(event("{\"type\":\"track\",\"event\":\"E\",\"properties\":{}}"), settings("{" + TAG + "}")))
                .isInstanceOf(ValidationException.class).hasMessage("Missing required value from \"userId\"");
    }

    @Test
    void account_withoutName_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> px.account(event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"\"}}"), settings("{" + TAG + "}")))
                .hasMessage("Missing required value from \"traits.name\"");
        assertThatThrownBy(() -> px.account(event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\"}"), settings("{" + TAG + "}")))
                .hasMessage("Missing required value from \"traits.name\"");
    }

    @Test
    void errorText_isTheJsonOfExternalApiErrorElseOfTheBody_quotedWhenNotJson() {
        assertThat(GainsightPxDestination.errorText(new VendorResponse(404, null,
                "{\"externalapierror\":{\"status\":\"NOT_FOUND\",\"debugMessage\":null},\"other\":1}")))
                .isEqualTo("{\"status\":\"NOT_FOUND\",\"debugMessage\":null}");
        assertThat(GainsightPxDestination.errorText(new VendorResponse(400, null, "{ \"error\" : \"dup\" }"))).isEqualTo("{\"error\":\"dup\"}");
        assertThat(GainsightPxDestination.errorText(new VendorResponse(403, null, "<title>403</title>\"x\"")))
                .isEqualTo("\"<title>403</title>\\\"x\\\"\"");
        assertThat(GainsightPxDestination.errorText(new VendorResponse(503, null, ""))).isEmpty();
        assertThat(GainsightPxDestination.errorText(new VendorResponse(502, null, "x".repeat(1000))))
                .hasSize(GainsightPxDestination.ERROR_TEXT_MAX_CHARS + 3).endsWith("...");
    }
}
