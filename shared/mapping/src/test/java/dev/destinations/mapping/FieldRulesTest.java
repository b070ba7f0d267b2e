package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FieldRulesTest {
    private static FieldRules rules(String json) throws Exception {
        return FieldRules.parse(Json.parse(json));
    }

    private static JsonNode event(String json) throws Exception {
        return Json.parse(json);
    }

    @Test
    void apply_writesTruthyZeroAndFalse_dropsEmptyAndNull() throws Exception {
        FieldRules r = rules("{\"rules\":[{\"to\":\"a\",\"from\":\"x\"},{\"to\":\"b\",\"from\":\"y\"},{\"to\":\"c\",\"from\":\"z\"},{\"to\":\"d\",\"from\":\"w\"}]}");
        JsonNode out = r.apply(event("{\"x\":0,\"y\":false,\"z\":\"\",\"w\":null}"));
        assertThat(Json.write(out)).isEqualTo("{\"a\":0,\"b\":false}");
    }

    @Test
    void apply_dottedDestination_buildsNestedObjects() throws Exception {
        FieldRules r = rules("{\"rules\":[{\"to\":\"location.city\",\"from\":\"c\"},{\"to\":\"location.country\",\"from\":\"k\"}]}");
        assertThat(Json.write(r.apply(event("{\"c\":\"Paris\",\"k\":\"FR\"}")))).isEqualTo("{\"location\":{\"city\":\"Paris\",\"country\":\"FR\"}}");
    }

    @Test
    void required_missing_throwsTheReferenceMessage() throws Exception {
        FieldRules single = rules("{\"rules\":[{\"to\":\"name\",\"from\":\"event\",\"required\":true}]}");
        FieldRules list = rules("{\"rules\":[{\"to\":\"t\",\"from\":[\"timestamp\",\"originalTimestamp\"],\"required\":true}]}");
        FieldRules generic = rules("{\"rules\":[{\"to\":\"id\",\"from\":\"@userId\",\"required\":true}]}");
        assertThatThrownBy(() -> single.apply(event("{\"event\":\"\"}"))).hasMessage("Missing required value from \"event\"");
        assertThatThrownBy(() -> list.apply(event("{}"))).hasMessage("Missing required value from [\"timestamp\",\"originalTimestamp\"]");
        assertThatThrownBy(() -> generic.apply(event("{}"))).hasMessage("Missing required value from \"userId\"");
    }

    @Test
    void strictMap_unknownValue_isInvalidEntry_mapDropsIt() throws Exception {
        FieldRules strict = rules("{\"rules\":[{\"to\":\"gender\",\"from\":\"g\",\"format\":\"strictMap\",\"map\":{\"2\":[\"M\",\"male\"]}}]}");
        FieldRules lenient = rules("{\"rules\":[{\"to\":\"gender\",\"from\":\"g\",\"format\":\"map\",\"map\":{\"MALE\":[\"M\",\"male\"]}}]}");
        assertThat(strict.apply(event("{\"g\":\"male\"}")).get("gender").intValue()).isEqualTo(2);
        assertThatThrownBy(() -> strict.apply(event("{\"g\":\"x\"}"))).isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key gender");
        assertThat(lenient.apply(event("{\"g\":\"Male\"}")).has("gender")).isFalse();
        assertThat(lenient.apply(event("{\"g\":\"M\"}")).get("gender").asText()).isEqualTo("MALE");
    }

    @Test
    void formats_followJavaScript() throws Exception {
        FieldRules r = rules("{\"rules\":[{\"to\":\"n\",\"from\":\"n\",\"format\":\"toNumber\"},{\"to\":\"bad\",\"from\":\"bad\",\"format\":\"toNumber\"},"
                + "{\"to\":\"f\",\"from\":\"f\",\"format\":\"toFloat\"},{\"to\":\"s\",\"from\":\"s\",\"format\":\"toString\"},"
                + "{\"to\":\"empty\",\"from\":\"empty\",\"format\":\"toNumber\"}]}");
        JsonNode out = r.apply(event("{\"n\":\"400\",\"bad\":\"4x\",\"f\":\"12.5x\",\"s\":1234,\"empty\":\"\"}"));
        assertThat(out.get("n").isIntegralNumber()).isTrue();
        assertThat(out.get("n").intValue()).isEqualTo(400);
        assertThat(out.has("bad")).isFalse();
        assertThat(out.get("f").doubleValue()).isEqualTo(12.5);
        assertThat(out.get("s").textValue()).isEqualTo("1234");
        assertThat(out.get("empty").intValue()).isZero(); // Number("") is 0, and one plain path returns "" raw
    }

    @Test
    void parse_badRuleFile_failsLoudly() {
        assertThatThrownBy(() -> rules("{\"rules\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("{\"rules\":[{\"to\":\"a\",\"from\":\"b\",\"format\":\"nope\"}]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("{\"rules\":[{\"to\":\"a\",\"from\":\"@nope\"}]}")).isInstanceOf(IllegalArgumentException.class);
    }
}
