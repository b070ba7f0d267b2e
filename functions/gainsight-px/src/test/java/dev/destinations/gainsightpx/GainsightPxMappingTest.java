package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.VendorResponse;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The Gainsight PX payloads against the spec's worked examples (4.5-4.7), its quirks 15-17 and the base URLs (4.1). */
class GainsightPxMappingTest {
    final GainsightPxDestination px = new GainsightPxDestination();

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    static GainsightPxSettings settings(String json) throws Exception {
        return GainsightPxSettings.parse(Json.parse(json));
    }

    /** Deep equality with numbers compared by value: a formatter writes 400 as a long, the parser reads an int. */
    static void assertJson(JsonNode actual, String expected) throws Exception {
        JsonNode want = Json.parse(expected);
        assertThat(actual.equals(BY_VALUE, want)).as("%s%\nexpected%\n%s", actual, want).isTrue();
    }

    static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    static final String TAG = "\"productTagKey\":\"AP-XABC-123\"";

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

    static final String HOBBY_MAP = "\"userAttributeMap\":[{\"from\":\"hobbyCustomField\",\"to\":\"hobby\"}]";
    static final String SAMPLE_TRAITS = "{\"type\":\"USER\",\"gender\":\"MALE\",\"email\":\"user@example.com\",\"firstName\":\"Sample\","
            + "\"lastName\":\"User\",\"signUpDate\":1624431528295,\"title\":\"engineer\",\"countryName\":\"USA\",\"countryCode\":\"US\","
            + "\"city\":\"New York\",\"hobbyCustomField\":\"Sample Hobby\",\"term\":null,\"campaign\":\"\"}";

    @Test
    void identify_existingUser_workedExample() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"sample-user-id\",\"traits\":" + SAMPLE_TRAITS
                + ",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\"}");
        assertJson(px.identifyUser(e, settings("{" + TAG + "," + HOBBY_MAP + "}")), "{\"type\":\"USER\",\"gender\":\"MALE\","
                + "\"email\":\"user@example.com\",\"firstName\":\"Sample\",\"lastName\":\"User\",\"signUpDate\":1624431528295,"
                + "\"title\":\"engineer\",\"propertyKeys\":[\"AP-XABC-123\"],\"location\":{\"countryName\":\"USA\",\"countryCode\":\"US\","
                + "\"city\":\"New York\"},\"customAttributes\":{\"hobby\":\"Sample Hobby\"}}");
    }

    @Test
    void identify_newUser_addsIdentifyIdAndCreateDate_keepsTheTraitSignUpDate() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"absent-id\",\"traits\":" + SAMPLE_TRAITS
                + ",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\"}");
        ObjectNode existing = px.identifyUser(e, settings("{" + TAG + "," + HOBBY_MAP + "}"));
        ObjectNode created = GainsightPxDestination.newUser(e, existing, e.root().get("userId"));
        assertThat(created.get("identifyId").asText()).isEqualTo("absent-id");
        assertThat(created.get("signUpDate").asLong()).isEqualTo(1624431528295L);
        assertThat(created.get("createDate").asLong()).isEqualTo(1571043797562L);
        assertThat(existing.has("identifyId")).isFalse(); // the existing-user body is not changed
    }

    @Test
    void identify_newUserWithoutDates_takesBothFromTimestampBeforeOriginalTimestamp() throws Exception {
        var fromOriginal = event("{\"type\":\"identify\",\"userId\":\"n\",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\"}");
        ObjectNode a = GainsightPxDestination.newUser(fromOriginal, px.identifyUser(fromOriginal, settings("{" + TAG + "}")), Json.NODES.textNode("n"));
        assertThat(a.get("signUpDate").asLong()).isEqualTo(1571043797562L);
        assertThat(a.get("createDate").asLong()).isEqualTo(1571043797562L);

        var both = event("{\"type\":\"identify\",\"userId\":\"n\",\"timestamp\":\"2021-06-25T14:29:52.911+05:30\","
                + "\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\",\"traits\":{\"createDate\":\"2020-01-01\"}}");
        ObjectNode b = GainsightPxDestination.newUser(both, px.identifyUser(both, settings("{" + TAG + "}")), Json.NODES.textNode("n"));
        assertThat(b.get("signUpDate").asLong()).isEqualTo(1624611592911L);
        assertThat(b.get("createDate").asLong()).isEqualTo(1577836800000L);
    }

    @Test
    void identify_existingUser_neverGetsDefaultDates() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\"}");
        JsonNode body = px.identifyUser(e, settings("{" + TAG + "}"));
        assertThat(body.has("signUpDate")).isFalse();
        assertThat(body.has("createDate")).isFalse();
        assertJson(body.get("customAttributes"), "{}");
    }

    @Test
    void identify_nameSplit_workedExample_overridesFirstAndLastName() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"stanley-kubrick\",\"context\":{\"traits\":{\"name\":\"Stanley Kubrick\","
                + "\"email\":\"stanley@example.com\",\"score\":100,\"title\":\"Director/Film Maker\",\"gender\":\"Male\",\"countryCode\":\"US\","
                + "\"countryName\":\"USA\",\"hobbyCustomField\":\"Making films. Being a genius\",\"firstName\":\"S\",\"lastName\":\"K\"}}}");
        assertJson(px.identifyUser(e, settings("{\"productTagKey\":\"AP-SAMPLE-2\"," + HOBBY_MAP + "}")), "{\"email\":\"stanley@example.com\","
                + "\"gender\":\"MALE\",\"title\":\"Director/Film Maker\",\"score\":100,\"location\":{\"countryName\":\"USA\",\"countryCode\":\"US\"},"
                + "\"firstName\":\"Stanley\",\"lastName\":\"Kubrick\",\"customAttributes\":{\"hobby\":\"Making films. Being a genius\"},"
                + "\"propertyKeys\":[\"AP-SAMPLE-2\"],\"type\":\"USER\"}");
    }

    @Test
    void identify_nameSplit_oneWordDropsLastName_threeWordsKeepTwo_leadingSpaceGivesEmptyFirstName_quirk17() throws Exception {
        var oneWord = px.identifyUser(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"Cher\",\"lastName\":\"Sarkisian\"}}"),
                settings("{" + TAG + "}"));
        assertThat(oneWord.get("firstName").asText()).isEqualTo("Cher");
        assertThat(oneWord.has("lastName")).isFalse();

        var three = px.identifyUser(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"Ada King Lovelace\"}}"), settings("{" + TAG + "}"));
        assertThat(three.get("firstName").asText()).isEqualTo("Ada");
        assertThat(three.get("lastName").asText()).isEqualTo("King");

        var leading = px.identifyUser(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\" Stanley Kubrick\"}}"), settings("{" + TAG + "}"));
        assertThat(leading.get("firstName").asText()).isEmpty();
        assertThat(leading.get("lastName").asText()).isEqualTo("Stanley");

        var notText = px.identifyUser(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":42,\"first_name\":\"Fi\"}}"), settings("{" + TAG + "}"));
        assertThat(notText.get("firstName").asText()).isEqualTo("Fi");
    }

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

    @Test
    void identify_formatters_toStringToNumberTimestampAndNestedLocation() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"accountId\":1234,\"score\":\"400\",\"lastSeenDate\":\"2021-06-25T08:59:52.891Z\","
                + "\"firstVisitDate\":\"1624431528295\",\"latitude\":\"12.5x\",\"longitude\":-3,\"stateCode\":\"NY\"},"
                + "\"context\":{\"traits\":{\"timeZone\":\"UTC\",\"latitude\":99}}}");
        assertJson(px.identifyUser(e, settings("{" + TAG + "}")), "{\"accountId\":\"1234\",\"score\":400,\"lastSeenDate\":1624611592891,"
                + "\"location\":{\"stateCode\":\"NY\",\"timeZone\":\"UTC\",\"coordinates\":{\"latitude\":12.5,\"longitude\":-3}},"
                + "\"customAttributes\":{},\"propertyKeys\":[\"AP-XABC-123\"],\"type\":\"USER\"}");
    }

    @Test
    void identify_customAttributes_onlyMappedUnreservedNonNull_contextWins() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"plan\":\"gold\",\"seats\":3,\"nick\":null,\"email\":\"a@example.com\","
                + "\"unmapped\":\"x\",\"flag\":false},\"context\":{\"traits\":{\"plan\":\"platinum\",\"tags\":[\"a\"]}}}");
        var s = settings("{" + TAG + ",\"userAttributeMap\":[{\"from\":\"plan\",\"to\":\"px_plan\"},{\"from\":\"seats\",\"to\":\"px_seats\"},"
                + "{\"from\":\"nick\",\"to\":\"px_nick\"},{\"from\":\"email\",\"to\":\"px_email\"},{\"from\":\"tags\",\"to\":\"px_tags\"},"
                + "{\"from\":\"flag\",\"to\":\"px_flag\"},{\"from\":\"absent\",\"to\":\"px_absent\"}]}");
        assertJson(px.identifyUser(e, s).get("customAttributes"),
                "{\"px_plan\":\"platinum\",\"px_seats\":3,\"px_tags\":[\"a\"],\"px_flag\":false}");
    }

    // --------------------------------------------------------------------------------------------------- track

    static final String GLOBAL_MAP = "\"globalContextMap\":[{\"from\":\"projectId\",\"to\":\"p-123\"},{\"from\":\"tag\",\"to\":\"sample-category-tag\"}]";

    @Test
    void track_stringifiesObjectsArraysAndNull_quirk16() throws Exception {
        var e = event("{\"type\":\"track\",\"userId\":\"sample-user-id\",\"event\":\"Stringify Test\",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\","
                + "\"properties\":{\"description\":\"d\",\"nested\":{\"a\":[1,2,3],\"b\":{\"c\":1}},\"arr\":[1,2,3],\"none\":null,\"n\":1.5,\"ok\":true,\"empty\":\"\"}}");
        assertJson(px.track(e, settings("{" + TAG + "," + GLOBAL_MAP + "}")), "{\"identifyId\":\"sample-user-id\",\"eventName\":\"Stringify Test\","
                + "\"date\":1571043797562,\"attributes\":{\"description\":\"d\",\"nested\":\"{\\\"a\\\":[1,2,3],\\\"b\\\":{\\\"c\\\":1}}\","
                + "\"arr\":\"[1,2,3]\",\"none\":\"null\",\"n\":1.5,\"ok\":true,\"empty\":\"\"},\"propertyKey\":\"AP-XABC-123\",\"userType\":\"USER\","
                + "\"globalContext\":{\"projectId\":\"p-123\",\"tag\":\"sample-category-tag\"}}");
    }

    @Test
    void track_stringifiesNumbersAsJavaScriptDoes() throws Exception {
        var e = event("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Numbers\",\"properties\":{\"amounts\":"
                + "[12345678.9,2.0,1e21,0.0000001,-0.0,100,12345678901234567890,1e400]}}");
        assertThat(px.track(e, settings("{" + TAG + "}")).path("attributes").path("amounts").textValue())
                .isEqualTo("[12345678.9,2,1e+21,1e-7,0,100,12345678901234567000,null]"); // JSON.stringify(JSON.parse(...))
    }

    @Test
    void track_eventGlobalContextOverridesTheSettingsTable_andIsNotAnAttribute() throws Exception {
        var e = event("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Track Me\",\"properties\":{\"description\":\"x\","
                + "\"globalContext\":{\"testOverride\":\"some-value\"}}}");
        JsonNode body = px.track(e, settings("{" + TAG + "," + GLOBAL_MAP + "}"));
        assertJson(body.get("globalContext"), "{\"testOverride\":\"some-value\"}");
        assertJson(body.get("attributes"), "{\"description\":\"x\"}");
    }

    @Test
    void track_emptyOrNonObjectEventGlobalContext_fallsBackToTheTable_andNoTableMeansNoGlobalContext() throws Exception {
        var empty = event("{\"type\":\"track\",\"userId\":\"u\",\"properties\":{\"globalContext\":{}}}");
        assertJson(px.track(empty, settings("{" + TAG + "," + GLOBAL_MAP + "}")).get("globalContext"),
                "{\"projectId\":\"p-123\",\"tag\":\"sample-category-tag\"}");
        var text = event("{\"type\":\"track\",\"userId\":\"u\",\"properties\":{\"globalContext\":\"x\"}}");
        JsonNode noTable = px.track(text, settings("{" + TAG + "}"));
        assertThat(noTable.has("globalContext")).isFalse();
        assertJson(noTable.get("attributes"), "{}");
    }

    @Test
    void track_noProperties_pageContextAndSession() throws Exception {
        var e = event("{\"type\":\"track\",\"anonymousId\":\"anon-1\",\"event\":\"E\",\"context\":{\"sessionId\":1679967592314,"
                + "\"page\":{\"url\":\"https://example.com/a\",\"referrer\":\"$direct\"},\"traits\":{\"groupId\":\"g-1\"}},"
                + "\"timestamp\":\"2021-06-26T16:11:22.335+05:30\",\"originalTimestamp\":\"2021-06-26T10:41:22.316Z\"}");
        assertJson(px.track(e, settings("{" + TAG + "}")), "{\"identifyId\":\"anon-1\",\"accountId\":\"g-1\",\"eventName\":\"E\","
                + "\"date\":1624704082335,\"sessionId\":1679967592314,\"url\":\"https://example.com/a\",\"referrer\":\"$direct\","
                + "\"attributes\":{},\"propertyKey\":\"AP-XABC-123\",\"userType\":\"USER\"}");
    }

    @Test
    void track_propertiesDateWinsOverTheEventTime() throws Exception {
        var e = event("{\"type\":\"track\",\"userId\":\"u\",\"timestamp\":\"2021-06-26T16:11:22.335+05:30\",\"properties\":{\"date\":\"2020-01-01\"}}");
        assertThat(px.track(e, settings("{" + TAG + "}")).get("date").asLong()).isEqualTo(1577836800000L);
    }

    @Test
    void track_withoutAnyUserId_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> px.track(event("{\"type\":\"track\",\"event\":\"E\",\"properties\":{}}"), settings("{" + TAG + "}")))
                .isInstanceOf(ValidationException.class).hasMessage("Missing required value from \"userId\"");
    }

    // ------------------------------------------------------------------------------------------------- account

    @Test
    void account_fieldsFormattersAndMappedCustomAttributesWithNulls() throws Exception {
        var e = event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"ecorp-id\",\"timestamp\":\"2021-06-25T08:59:52.891Z\","
                + "\"traits\":{\"name\":\"ECorp\",\"industry\":\"software\",\"numberOfEmployees\":\"400\",\"numberOfUsers\":\"many\","
                + "\"website\":\"www.example.com\",\"plan\":\"premium\",\"lastSeenDate\":\"2021-01-01T00:00:00Z\",\"city\":\"Paris\","
                + "\"latitude\":\"48.85\",\"longitude\":2.35,\"culture\":null,\"LANGUAGE\":\"EN\",\"unmapped\":1,\"plan2\":\"x\"},"
                + "\"context\":{\"traits\":{\"industry\":\"ignored\"}}}");
        var s = settings("{" + TAG + ",\"accountAttributeMap\":[{\"from\":\"culture\",\"to\":\"px_culture\"},{\"from\":\"LANGUAGE\",\"to\":\"language\"},"
                + "{\"from\":\"plan\",\"to\":\"px_plan\"}]}");
        assertJson(px.account(e, s), "{\"name\":\"ECorp\",\"industry\":\"software\",\"numberOfEmployees\":400,\"website\":\"www.example.com\","
                + "\"plan\":\"premium\",\"lastSeenDate\":1609459200000,"
                + "\"location\":{\"city\":\"Paris\",\"coordinates\":{\"latitude\":48.85,\"longitude\":2.35}},"
                + "\"customAttributes\":{\"px_culture\":null,\"language\":\"EN\"},\"propertyKeys\":[\"AP-XABC-123\"]}");
    }

    @Test
    void account_eventTimeIsTheCreateDateOnlyOfANewAccount_neverOfAnUpdate_D21() throws Exception {
        var e = event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g-1\",\"timestamp\":\"2021-06-25T08:59:52.891Z\",\"traits\":{\"name\":\"ECorp\"}}");
        ObjectNode update = px.account(e, settings("{" + TAG + "}"));
        assertThat(update.has("createDate")).as("the PUT body").isFalse();
        ObjectNode created = GainsightPxDestination.newAccount(e, update, e.root().get("groupId"));
        assertThat(created.get("createDate").asLong()).isEqualTo(1624611592891L);
        assertThat(created.get("id").asText()).isEqualTo("g-1");
        var withTrait = event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g-1\",\"timestamp\":\"2021-06-25T08:59:52.891Z\","
                + "\"traits\":{\"name\":\"ECorp\",\"createDate\":\"2020-01-01\"}}");
        ObjectNode updateWithTrait = px.account(withTrait, settings("{" + TAG + "}"));
        assertThat(updateWithTrait.get("createDate").asLong()).as("a trait is the account's own date").isEqualTo(1577836800000L);
        assertThat(GainsightPxDestination.newAccount(withTrait, updateWithTrait, Json.NODES.textNode("g-1")).get("createDate").asLong()).isEqualTo(1577836800000L);
    }

    @Test
    void identify_createdAtIsTheSignUpDate_afterSignUpDate_andTheEventTimeOnlyWithoutEither_D21() throws Exception {
        var s = settings("{" + TAG + "}");
        var createdAt = event("{\"type\":\"identify\",\"userId\":\"u\",\"timestamp\":\"2021-06-25T08:59:52.891Z\","
                + "\"context\":{\"traits\":{\"createdAt\":\"2020-01-01T00:00:00Z\"}}}");
        ObjectNode existing = px.identifyUser(createdAt, s);
        assertThat(existing.get("signUpDate").asLong()).as("context.traits.createdAt, also on an update").isEqualTo(1577836800000L);
        ObjectNode created = GainsightPxDestination.newUser(createdAt, existing, Json.NODES.textNode("u"));
        assertThat(created.get("signUpDate").asLong()).isEqualTo(1577836800000L);
        assertThat(created.get("createDate").asLong()).as("the create date still defaults to the event time").isEqualTo(1624611592891L);
        var both = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"2020-01-01T00:00:00Z\"},"
                + "\"context\":{\"traits\":{\"signUpDate\":\"2019-01-01T00:00:00Z\"}}}");
        assertThat(px.identifyUser(both, s).get("signUpDate").asLong()).as("signUpDate wins, from either place").isEqualTo(1546300800000L);
        var traitsFirst = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"Tue, 01 Dec 2026 06:53:59 +0000\"},"
                + "\"context\":{\"traits\":{\"createdAt\":\"2019-01-01T00:00:00Z\"}}}");
        assertThat(px.identifyUser(traitsFirst, s).get("signUpDate").asLong()).as("traits before context.traits; an RFC 2822 date (D22)").isEqualTo(1796108039000L);
    }

    @Test
    void account_traitCreateDateWins_andNoMappedAttributesMeansNoCustomAttributes() throws Exception {
        var e = event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\",\"originalTimestamp\":\"2019-10-14T09:03:17.562Z\","
                + "\"traits\":{\"name\":\"ECorp\",\"createDate\":1600000000000,\"term\":null}}");
        assertJson(px.account(e, settings("{" + TAG + ",\"accountAttributeMap\":[{\"from\":\"\",\"to\":\"\"}]}")),
                "{\"name\":\"ECorp\",\"createDate\":1600000000000,\"propertyKeys\":[\"AP-XABC-123\"]}");
    }

    @Test
    void account_withoutName_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> px.account(event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"\"}}"), settings("{" + TAG + "}")))
                .hasMessage("Missing required value from \"traits.name\"");
        assertThatThrownBy(() -> px.account(event("{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"g\"}"), settings("{" + TAG + "}")))
                .hasMessage("Missing required value from \"traits.name\"");
    }

    // ---------------------------------------------------------------------------------------------- error text

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
