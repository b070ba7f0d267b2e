package dev.destinations.custify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import org.junit.jupiter.api.Test;

/** Golden checks of the Custify payloads against the spec's worked examples (2.4-2.6) and decisions D6, D7. */
class CustifyMappingTest {
    final CustifyDestination custify = new CustifyDestination();
    static final CustifySettings PLAIN = new CustifySettings(false, false, null);

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    static void assertJson(JsonNode actual, String expected) throws Exception {
        assertThat(actual).isEqualTo(Json.parse(expected));
    }

    static final String CONTEXT_TRAITS = "{\"email\":\"user111@gmail.com\",\"firstName\":\"New\",\"lastName\":\"User\",\"phone\":9830311522,"
            + "\"sessionCount\":23,\"unsubscribedFromEmails\":false,\"unsubscribedFromCalls\":false,\"signed_up_at\":\"2022-04-27T13:56:13.012Z\","
            + "\"custom_prop1\":\"custom_value1\",\"custom_prop2\":123,\"custom_prop3\":false,\"custom_prop4\":{\"test\":\"test\"},"
            + "\"custom_prop5\":[1,3,4],\"createdAt\":\"2022-04-27T13:56:13.012Z\",\"company\":{\"id\":\"company_123\"}}";

    @Test
    void identify_workedExample_allTraitsAndCompany() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"user_1234\",\"context\":{\"traits\":" + CONTEXT_TRAITS + "},\"timestamp\":\"2022-04-27T13:56:13.012Z\"}");
        assertJson(custify.identify(e, PLAIN), "{\"user_id\":\"user_1234\",\"email\":\"user111@gmail.com\",\"phone\":9830311522,\"session_count\":23,"
                + "\"unsubscribed_from_emails\":false,\"unsubscribed_from_calls\":false,\"signed_up_at\":\"2022-04-27T13:56:13.012Z\","
                + "\"custom_attributes\":{\"firstName\":\"New\",\"lastName\":\"User\",\"sessionCount\":23,\"unsubscribedFromEmails\":false,"
                + "\"unsubscribedFromCalls\":false,\"custom_prop1\":\"custom_value1\",\"custom_prop2\":123,\"custom_prop3\":false,"
                + "\"createdAt\":\"2022-04-27T13:56:13.012Z\"},\"name\":\"New User\",\"companies\":[{\"company_id\":\"company_123\",\"remove\":false}]}");
    }

    @Test
    void signedUpAt_takesCreatedAt_afterSignedUpAt_beforeTheEventTime_D21() throws Exception {
        String time = ",\"timestamp\":\"2026-12-01T06:53:59Z\"";
        assertThat(custify.identify(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"2020-01-01T00:00:00Z\"}" + time + "}"), PLAIN)
                .get("signed_up_at").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(custify.identify(event("{\"type\":\"identify\",\"userId\":\"u\",\"context\":{\"traits\":{\"createdAt\":\"2020-02-02T00:00:00Z\"}}" + time + "}"), PLAIN)
                .get("signed_up_at").asText()).isEqualTo("2020-02-02T00:00:00Z");
        assertThat(custify.identify(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"2020-01-01T00:00:00Z\"},"
                + "\"context\":{\"traits\":{\"signedUpAt\":\"2019-01-01T00:00:00Z\"}}" + time + "}"), PLAIN)
                .get("signed_up_at").asText()).as("signedUpAt wins, from either place").isEqualTo("2019-01-01T00:00:00Z");
        assertThat(custify.identify(event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{}" + time + "}"), PLAIN)
                .get("signed_up_at").asText()).isEqualTo("2026-12-01T06:53:59Z");
    }

    @Test
    void identify_companyRemoveTrue_isCarried_andGroupIdIsTheFallbackCompany() throws Exception {
        var removing = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"company\":{\"id\":\"c1\",\"remove\":true}}}");
        assertThat(custify.identify(removing, PLAIN).get("companies").get(0).get("remove").booleanValue()).isTrue();
        var byGroupId = event("{\"type\":\"identify\",\"userId\":\"u\",\"groupId\":\"g9\",\"traits\":{}}");
        assertJson(custify.identify(byGroupId, PLAIN).get("companies"), "[{\"company_id\":\"g9\",\"remove\":false}]");
    }

    @Test
    void identify_noIds_isMandatoryError_unlessAnonymousIdIsAllowed() throws Exception {
        var anonymous = event("{\"type\":\"identify\",\"anonymousId\":\"anon-1\",\"traits\":{\"firstName\":\"Solo\"}}");
        assertThatThrownBy(() -> custify.identify(anonymous, PLAIN)).isInstanceOf(ValidationException.class).hasMessage("Email or userId is mandatory");
        JsonNode body = custify.identify(anonymous, new CustifySettings(true, false, null));
        assertThat(body.get("user_id").asText()).isEqualTo("anon-1");
        assertThat(body.get("name").asText()).isEqualTo("Solo");
        assertThat(body.has("email")).isFalse();
    }

    @Test
    void identify_nameFromTraitsWinsOverFirstAndLast() throws Exception {
        var e = event("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"name\":\"Ada L\",\"firstName\":\"X\",\"lastName\":\"Y\"}}");
        assertThat(custify.identify(e, PLAIN).get("name").asText()).isEqualTo("Ada L");
    }

    @Test
    void groupCompany_workedExample() throws Exception {
        var e = event("{\"type\":\"group\",\"userId\":\"user_111\",\"groupId\":\"company_222\",\"traits\":{\"name\":\"Absolute Company\","
                + "\"industry\":\" Absolute\",\"employees\":121,\"size\":100,\"website\":\"www.rudder.com\",\"plan\":\"GOLD\",\"monthly_revenue\":8000,"
                + "\"churned\":false,\"test_att1\":\"test_att_val1\",\"nested\":{\"a\":1}}}");
        assertJson(custify.groupCompany(e), "{\"company_id\":\"company_222\",\"name\":\"Absolute Company\",\"industry\":\" Absolute\",\"size\":100,"
                + "\"website\":\"www.rudder.com\",\"plan\":\"GOLD\",\"monthly_revenue\":8000,\"churned\":false,"
                + "\"custom_attributes\":{\"employees\":121,\"test_att1\":\"test_att_val1\"}}");
    }

    @Test
    void groupCompany_withoutGroupId_isTheReferenceMessage() throws Exception {
        assertThatThrownBy(() -> custify.groupCompany(event("{\"type\":\"group\",\"userId\":\"u\",\"traits\":{\"name\":\"x\"}}")))
                .hasMessage("groupId Id is mandatory");
    }

    @Test
    void track_workedExample() throws Exception {
        var e = event("{\"type\":\"track\",\"event\":\"Order Completed Version 2\",\"userId\":\"user_111\",\"context\":{\"traits\":{\"email\":\"user111@gmail.com\"}},"
                + "\"properties\":{\"product\":\"Cube\",\"revenue\":9002,\"organization_id\":\"company_123\"},\"originalTimestamp\":\"2021-08-26T14:16:47.317Z\"}");
        assertJson(custify.track(e, PLAIN), "{\"user_id\":\"user_111\",\"email\":\"user111@gmail.com\",\"name\":\"Order Completed Version 2\","
                + "\"created_at\":\"2021-08-26T14:16:47.317Z\",\"company_id\":\"company_123\","
                + "\"metadata\":{\"product\":\"Cube\",\"revenue\":9002,\"organization_id\":\"company_123\",\"user_id\":\"user_111\"}}");
    }

    @Test
    void track_metadataKeepsZeroAndFalse_dropsNullEmptyAndNested_D7() throws Exception {
        var e = event("{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"properties\":{\"zero\":0,\"no\":false,\"none\":null,\"empty\":\"\",\"obj\":{},\"arr\":[1],\"userId\":\"other\"}}");
        assertJson(custify.track(e, PLAIN).get("metadata"), "{\"zero\":0,\"no\":false,\"userId\":\"other\"}");
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
    void track_deduplication_D6_fieldThenMessageId() throws Exception {
        String json = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"timestamp\":\"t\",\"messageId\":\"mid-1\",\"properties\":{\"order_id\":\"o-7\"}}";
        assertThat(custify.track(event(json), PLAIN).has("deduplication_id")).isFalse();
        assertThat(custify.track(event(json), new CustifySettings(false, true, null)).get("deduplication_id").asText()).isEqualTo("mid-1");
        assertThat(custify.track(event(json), new CustifySettings(false, true, "properties.order_id")).get("deduplication_id").asText()).isEqualTo("o-7");
        assertThat(custify.track(event(json), new CustifySettings(false, true, "properties.absent")).get("deduplication_id").asText()).isEqualTo("mid-1");
    }

    @Test
    void settings_acceptBothDedupSpellings_andRejectNonBooleans() throws Exception {
        assertThat(CustifySettings.parse(Json.parse("{\"enablededuplication\":true}")).enableDeduplication()).isTrue();
        assertThat(CustifySettings.parse(Json.parse("{\"enableDeduplication\":\"true\"}")).enableDeduplication()).isTrue();
        assertThat(CustifySettings.parse(Json.parse("{\"sendAnonymousId\":false}")).sendAnonymousId()).isFalse();
        assertThatThrownBy(() -> CustifySettings.parse(Json.parse("{\"sendAnonymousId\":\"yes\"}"))).hasMessage("sendAnonymousId must be true or false");
    }
}
