package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import dev.destinations.testkit.Golden;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The User.com bodies against the spec's worked examples (3.5-3.8) and decisions D4, D10. Event in, body out: the
 * golden cases of {@code src/test/resources/golden/<case>/} ({@code in.json} the event, {@code settings.json} the
 * destination settings, {@code out.json} the body before the found user's id is set); the event's type picks the body
 * (identify: the user, track: the event, page: the site view, which reads no settings, group: the company). The
 * validation messages, the settings parsing and what one body must not leak into the next stay here.
 */
class UserComMappingTest {
    final UserComDestination user = new UserComDestination();

    static final UserComSettings PLAIN = new UserComSettings("commander", Map.of(), List.of(), Map.of());

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    @TestFactory
    Stream<DynamicTest> golden() {
        return Golden.tests(c -> {
            Event e = Event.of(c.in());
            return switch (EventType.of(e.typeText())) {
                case IDENTIFY -> user.identifyBody(e, UserComSettings.parse(c.json("settings.json")));
                case TRACK -> user.trackBody(e, UserComSettings.parse(c.json("settings.json")));
                case PAGE -> user.pageBody(e);
                case GROUP -> user.companyBody(e, UserComSettings.parse(c.json("settings.json")));
                default -> throw new IllegalArgumentException("no User.com body for type " + e.typeText());
            };
        });
    }

    // ---- identify (3.5) ----------------------------------------------------------------------------------------

    /** The mapped values: golden cases identify-gender-f-and-status-visitor-by-the-strict-maps, identify-gender-unknown-is-1. */
    @Test
    void identifyBody_genderAndStatus_strictMaps_rejectWhatTheyDoNotMap() throws Exception {
        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"gender\":\"robot\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key gender");
        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"status\":\"admin\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key status");
        // strict equality as in the reference: a number never matches the text table
        assertThatThrownBy(() -> user.identifyBody(event("{\"userId\":\"u\",\"traits\":{\"gender\":2}}"), PLAIN))
                .hasMessage("Invalid entry for key gender");
    }

    /** The anonymousId fallback: golden case identify-custom-id-falls-back-to-the-anonymous-id. */
    @Test
    void identifyBody_customIdIsRequired() throws Exception {
        assertThatThrownBy(() -> user.identifyBody(event("{\"traits\":{\"email\":\"a@example.com\"}}"), PLAIN))
                .isInstanceOf(ValidationException.class).hasMessage("Missing required value from \"userId\"");
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

    @Test
    void settings_userEventsRows_areReadWithTheirPropertyTables() throws Exception {
        var s = UserComSettings.parse(Json.parse("{\"appSubdomain\":\"commander\",\"userEvents\":[{\"rsEventName\":\"login\","
                + "\"userEventName\":\"product viewed\",\"eventProperties\":[{\"from\":\"count\",\"to\":\"productcount\"},{\"from\":\"\",\"to\":\"x\"}]},"
                + "{\"userEventName\":\"orphan\"}]}"));
        assertThat(s.userEvents()).containsExactly(new UserComSettings.UserEvent("login", "product viewed", Map.of("count", "productcount")));
    }

    // ---- page (3.7) --------------------------------------------------------------------------------------------

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

    // ---- what the contract says (D31, D34) ---------------------------------------------------------------------

    /** The runtime's limits are the contract's: one place for the rule. */
    @Test
    void userLimits_areReadFromTheContract_D31() {
        assertThat(UserComContract.maxLengths("users.update_or_create"))
                .containsExactly(Map.entry("first_name", 40), Map.entry("last_name", 40), Map.entry("city", 64), Map.entry("phone_number", 64));
        assertThat(UserComContract.maxLengths("users.create")).isEqualTo(UserComContract.maxLengths("users.update_or_create"));
        assertThat(UserComContract.maxLengths("users.update")).isEqualTo(UserComContract.maxLengths("users.update_or_create"));
    }

    /** Only text longer than its limit is cut, in code points; each cut field is noted once, by name. */
    @Test
    void cutToLimits_cutsOnlyWhatIsTooLong_andNotesTheFieldNotTheValue_D31() throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"first_name\":\"" + "x".repeat(41) + "\",\"last_name\":\""
                + "y".repeat(40) + "\",\"city\":\"" + "\u00e9".repeat(65) + "\",\"phone_number\":1234567890,\"custom\":\"" + "z".repeat(500) + "\"}");
        var delivery = new dev.destinations.delivery.Delivery(null, "https://x", new dev.destinations.delivery.BatchMemo());
        UserComDestination.cutToLimits(body, UserComContract.maxLengths("users.update_or_create"), delivery);
        assertThat(body.get("first_name").asText()).isEqualTo("x".repeat(40));
        assertThat(body.get("last_name").asText()).isEqualTo("y".repeat(40));
        assertThat(body.get("city").asText()).isEqualTo("\u00e9".repeat(64));
        assertThat(body.get("phone_number").asLong()).isEqualTo(1234567890L);
        assertThat(body.get("custom").asText()).hasSize(500);
        assertThat(delivery.valuesCut()).containsExactly("first_name", "city");
    }

    /** What D34 remembers of a group: equal bodies give equal digests, any change another; no value shows in it. */
    @Test
    void companyFingerprint_followsTheBody_andHoldsNoValue_D34() throws Exception {
        var a = user.companyBody(event("{\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"Acme\",\"plan\":\"pro\"}}"), PLAIN);
        var same = user.companyBody(event("{\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"Acme\",\"plan\":\"pro\"}}"), PLAIN);
        var renamed = user.companyBody(event("{\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"name\":\"Acme Inc\",\"plan\":\"pro\"}}"), PLAIN);
        assertThat(UserComDestination.fingerprint(a)).isEqualTo(UserComDestination.fingerprint(same)).hasSize(32).doesNotContain("Acme");
        assertThat(UserComDestination.fingerprint(renamed)).isNotEqualTo(UserComDestination.fingerprint(a));
    }
}
