package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The User.com bodies against the spec's worked examples (3.5-3.8) and decisions D4, D10. */
class UserComMappingTest {
    final UserComDestination user = new UserComDestination();

    static final UserComSettings PLAIN = new UserComSettings("commander", Map.of(), List.of(), Map.of());
    static final UserComSettings OCCUPATION = new UserComSettings("commander", Map.of("useroccupation", "occupation"), List.of(), Map.of());

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    /** Numbers compare by value (the rule engine writes longs, the parser ints), as the vendor and conformance see them. */
    static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    static void assertJson(JsonNode actual, String expected) throws Exception {
        JsonNode want = Json.parse(expected);
        assertThat(actual.equals(BY_VALUE, want)).as("%s%nshould equal%n%s", actual, want).isTrue();
    }

    // ---- identify (3.5) ----------------------------------------------------------------------------------------

    @Test
    void identifyBody_userKeyWorkedExample_mapsStandardFieldsAndRenamesAndPassesThrough() throws Exception {
        var e = event("{\"userId\":\"test@16\",\"type\":\"identify\",\"context\":{\"traits\":{\"email\":\"test@rudderstack.com\","
                + "\"firstName\":\"test\",\"lastName\":\"rudderstack\",\"age\":15,\"gender\":\"male\",\"status\":\"user\",\"city\":\"Kalkata\","
                + "\"country\":\"india\",\"tags\":[\"productuser\"],\"phone\":\"9876543210\",\"useroccupation\":\"software engineer\"},"
                + "\"externalId\":[{\"type\":\"userKey\",\"id\":\"lel1c5u1wuk8\"}]},\"traits\":{\"googleUrl\":\"www.google.com\"}}");
        assertJson(user.identifyBody(e, OCCUPATION), "{\"custom_id\":\"test@16\",\"email\":\"test@rudderstack.com\",\"phone_number\":\"9876543210\","
                + "\"first_name\":\"test\",\"last_name\":\"rudderstack\",\"tags\":[\"productuser\"],\"country\":\"india\",\"gender\":2,\"status\":2,"
                + "\"google_url\":\"www.google.com\",\"age\":15,\"occupation\":\"software engineer\"}");
    }

    @Test
    void identifyBody_genderAndStatus_strictMaps() throws Exception {
        var female = event("{\"userId\":\"u\",\"traits\":{\"gender\":\"F\",\"status\":\"Visitor\"}}");
        JsonNode body = user.identifyBody(female, PLAIN);
        assertThat(body.get("gender").asInt()).isEqualTo(3);
        assertThat(body.get("status").asInt()).isEqualTo(1);
        assertThat(user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"gender\":\"unknown\"}}"), PLAIN).get("gender").asInt()).isEqualTo(1);

        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"gender\":\"robot\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key gender");
        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"status\":\"admin\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key status");
        // strict equality as in the reference: a number never matches the text table
        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"gender\":2}}"), PLAIN))
                .hasMessage("Invalid entry for key gender");
    }

    @Test
    void identifyBody_customIdFallsBackToAnonymousId_andIsRequired() throws Exception {
        assertThat(user.identifyBody(event("{\"anonymousId\":\"anon-1\",\"traits\":{}}"), PLAIN).get("custom_id").asText()).isEqualTo("anon-1");
        assertThatThrownBy(() -> user.identifyBody(event("{\"traits\":{\"email\":\"a@example.com\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Missing required value from \"userId\"");
    }

    @Test
    void identifyBody_customAttributes_contextWins_excludedDropped_falsyNotRenamed_passThroughWinsOnClash() throws Exception {
        var settings = new UserComSettings("commander", Map.of("plan", "subscription", "seats", "licences"), List.of(), Map.of());
        var e = event("{\"userId\":\"u1\",\"traits\":{\"plan\":\"basic\",\"city\":\"Flatville\",\"avatarURL\":\"https://example.com/a.png\","
                + "\"seats\":0,\"phone_number\":\"override\",\"nested\":{\"a\":[1]},\"gone\":null},"
                + "\"context\":{\"traits\":{\"plan\":\"pro\",\"phone\":\"123\",\"timezone\":\"UTC\",\"address\":{\"city\":\"Paris\"}}}}");
        JsonNode body = user.identifyBody(e, settings);
        assertJson(body, "{\"custom_id\":\"u1\",\"phone_number\":\"override\",\"city\":\"Paris\",\"gravatar_url\":\"https://example.com/a.png\","
                + "\"timezone\":\"UTC\",\"subscription\":\"pro\",\"seats\":0,\"nested\":{\"a\":[1]},\"address\":{\"city\":\"Paris\"}}");
    }

    @Test
    void identifyBody_renamedKeysDoNotLeakIntoLaterEvents_D4() throws Exception {
        var settings = new UserComSettings("commander", Map.of("tier", "level"), List.of(), Map.of());
        JsonNode first = user.identifyBody(event("{\"userId\":\"u1\",\"traits\":{\"tier\":\"gold\"}}"), settings);
        assertThat(first.get("level").asText()).isEqualTo("gold");
        assertThat(first.has("tier")).isFalse();
        // the reference appended "tier" to its shared exclusion list: a later falsy tier was then lost for good
        JsonNode second = user.identifyBody(event("{\"userId\":\"u2\",\"traits\":{\"tier\":0}}"), settings);
        assertThat(second.get("tier").asInt()).isZero();
        assertThat(second.has("level")).isFalse();
    }

    // ---- track (3.6) -------------------------------------------------------------------------------------------

    static final String TRACK = "{\"type\":\"track\",\"userId\":\"43\",\"event\":\"login\",\"properties\":{\"test_prop_1\":\"test prop\","
            + "\"test_prop_2\":1232%s},\"timestamp\":\"2022-09-13T20:12:44.757+05:30\"}";
    static final UserComSettings LOGIN = new UserComSettings("commander", Map.of(), List.of(
            new UserComSettings.UserEvent("login", "product viewed", Map.of("count", "productcount"))), Map.of());

    @Test
    void trackBody_workedExample_renamesEventAndConvertsTimestampToSeconds() throws Exception {
        assertJson(user.trackBody(event(TRACK.formatted("")), LOGIN), "{\"user_id\":\"43\",\"name\":\"product viewed\","
                + "\"data\":{\"test_prop_1\":\"test prop\",\"test_prop_2\":1232},\"timestamp\":1663080164}");
    }

    @Test
    void trackBody_propertyMapping_renamesTruthyValuesOnly() throws Exception {
        assertThat(user.trackBody(event(TRACK.formatted(",\"count\":3")), LOGIN).get("data"))
                .isEqualTo(Json.parse("{\"productcount\":3,\"test_prop_1\":\"test prop\",\"test_prop_2\":1232}"));
        assertThat(user.trackBody(event(TRACK.formatted(",\"count\":0")), LOGIN).get("data"))
                .isEqualTo(Json.parse("{\"test_prop_1\":\"test prop\",\"test_prop_2\":1232,\"count\":0}"));
    }

    @Test
    void trackBody_noUserEvents_orSeveralMatchingRows_renamesNothing() throws Exception {
        var absent = UserComSettings.parse(Json.parse("{\"appSubdomain\":\"commander\"}"));
        assertThat(user.trackBody(event(TRACK.formatted(",\"count\":3")), absent).get("name").asText()).isEqualTo("login");
        var twice = new UserComSettings("commander", Map.of(), List.of(
                new UserComSettings.UserEvent("login", "a", Map.of("count", "c")), new UserComSettings.UserEvent("login", "b", Map.of())), Map.of());
        JsonNode body = user.trackBody(event(TRACK.formatted(",\"count\":3")), twice);
        assertThat(body.get("name").asText()).isEqualTo("login");
        assertThat(body.get("data").has("count")).isTrue();
    }

    @Test
    void trackBody_matchingRowButNoProperties_isNotACrash_D4() throws Exception {
        JsonNode body = user.trackBody(event("{\"userId\":\"u\",\"event\":\"login\",\"timestamp\":\"2022-09-13T20:12:44.757Z\"}"), LOGIN);
        assertJson(body, "{\"user_id\":\"u\",\"name\":\"product viewed\",\"timestamp\":1663099964}");
    }

    @Test
    void settings_userEventsRows_areReadWithTheirPropertyTables() throws Exception {
        var s = UserComSettings.parse(Json.parse("{\"appSubdomain\":\"commander\",\"userEvents\":[{\"rsEventName\":\"login\","
                + "\"userEventName\":\"product viewed\",\"eventProperties\":[{\"from\":\"count\",\"to\":\"productcount\"},{\"from\":\"\",\"to\":\"x\"}]},"
                + "{\"userEventName\":\"orphan\"}]}"));
        assertThat(s.userEvents()).containsExactly(new UserComSettings.UserEvent("login", "product viewed", Map.of("count", "productcount")));
    }

    // ---- page (3.7) --------------------------------------------------------------------------------------------

    @Test
    void pageBody_workedExample_keepsTheIsoTimestampAndTheFullUrl() throws Exception {
        var e = event("{\"type\":\"page\",\"userId\":\"43\",\"context\":{\"page\":{\"path\":\"/testing\",\"url\":\"https://pagecall.com/testing\"}},"
                + "\"properties\":{\"path\":\"/other\"},\"timestamp\":\"2021-01-04T14:13:05.801+05:30\"}");
        assertJson(user.pageBody(e), "{\"client_user\":\"43\",\"page_domain\":\"https://pagecall.com/testing\",\"page_path\":\"/testing\","
                + "\"timestamp\":\"2021-01-04T14:13:05.801+05:30\"}");
    }

    @Test
    void pageBody_missingUrlPathOrTimestamp_areTheReferenceMessagesInOrder() throws Exception {
        assertThatThrownBy(() -> user.pageBody(event("{\"userId\":\"u\"}"))).hasMessage("Parameter url is required");
        assertThatThrownBy(() -> user.pageBody(event("{\"userId\":\"u\",\"properties\":{\"url\":\"https://example.com/\"}}")))
                .hasMessage("Parameter path is required");
        assertThatThrownBy(() -> user.pageBody(event("{\"userId\":\"u\",\"properties\":{\"url\":\"https://example.com/\",\"path\":\"/\"}}")))
                .hasMessage("Parameter timestamp is required");
        assertThatThrownBy(() -> user.pageBody(event("{\"properties\":{\"url\":\"https://example.com/\",\"path\":\"/\"},\"originalTimestamp\":\"2021-01-04\"}")))
                .hasMessage("Missing required value from \"userId\"");
    }

    // ---- group (3.8) -------------------------------------------------------------------------------------------

    static final UserComSettings COMPANY_MAPPING = new UserComSettings("commander", Map.of(), List.of(),
            Map.of("category", "companycategory", "owner", "companyowner"));

    @Test
    void companyBody_workedExample_concatenatesTheAddress() throws Exception {
        var e = event("{\"type\":\"group\",\"userId\":\"user@123\",\"groupId\":\"group@795\",\"traits\":{\"name\":\"rudder ventures\","
                + "\"email\":\"business@rudderstack.com\",\"address\":{\"street\":\"6th St\",\"city\":\"San Francisco\",\"state\":\"CA\","
                + "\"postalCode\":\"94103\",\"country\":\"USA\",\"owner\":\"testuser\"}}}");
        assertJson(user.companyBody(e, COMPANY_MAPPING), "{\"user_custom_id\":\"user@123\",\"custom_id\":\"group@795\",\"name\":\"rudder ventures\","
                + "\"email\":\"business@rudderstack.com\",\"address\":\"6th StSan FranciscoCA94103USAtestuser\",\"city\":\"San Francisco\","
                + "\"postal_code\":\"94103\"}");
    }

    @Test
    void companyBody_mappingAndPassThrough_keepNulls_andDropUserId() throws Exception {
        var e = event("{\"userId\":\"u1\",\"groupId\":\"g1\",\"description\":\"top level\",\"traits\":{\"name\":\"Acme\",\"category\":\"retail\","
                + "\"owner\":\"\",\"size\":12,\"tags\":[\"a\"],\"zip\":\"75001\",\"phone\":\"+33 1\",\"employees\":null,\"groupname\":\"x\","
                + "\"address\":\"1 Main St\"}}");
        assertJson(user.companyBody(e, COMPANY_MAPPING), "{\"user_custom_id\":\"u1\",\"custom_id\":\"g1\",\"name\":\"Acme\",\"address\":\"1 Main St\","
                + "\"traits\":{\"description\":\"top level\"},\"phone_numbers\":\"+33 1\",\"postal_code\":\"75001\",\"size\":12,\"tags\":[\"a\"],"
                + "\"companycategory\":\"retail\",\"owner\":\"\",\"employees\":null}");
        var renamedToUserId = new UserComSettings("commander", Map.of(), List.of(), Map.of("category", "userId"));
        assertThat(user.companyBody(e, renamedToUserId).has("userId")).isFalse();
    }

    @Test
    void companyBody_addressValuesAreConcatenatedAsJavaScriptStrings() throws Exception {
        var e = event("{\"userId\":\"u\",\"traits\":{\"name\":\"n\",\"address\":{\"no\":12,\"flag\":true,\"none\":null,\"f\":1.5,\"street\":\"Elm\"}}}");
        assertThat(user.companyBody(e, PLAIN).get("address").asText()).isEqualTo("12truenull1.5Elm");
    }

    @Test
    void companyBody_withoutName_orWithoutTraits_isParameterNameRequired_D4() throws Exception {
        assertThatThrownBy(() -> user.companyBody(event("{\"userId\":\"u\",\"groupId\":\"g\"}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Parameter name is required");
        assertThatThrownBy(() -> user.companyBody(event("{\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"\"}}"), PLAIN))
                .hasMessage("Parameter name is required");
        // the name check reads the generic traits; the body's name is top-level traits only
        assertThatThrownBy(() -> user.companyBody(event("{\"userId\":\"u\",\"context\":{\"traits\":{\"name\":\"ctx\"}}}"), PLAIN))
                .hasMessage("Missing required value from \"traits.name\"");
        assertThatThrownBy(() -> user.companyBody(event("{\"groupId\":\"g\",\"traits\":{\"name\":\"n\"}}"), PLAIN))
                .hasMessage("Missing required value from \"userId\"");
    }
}
