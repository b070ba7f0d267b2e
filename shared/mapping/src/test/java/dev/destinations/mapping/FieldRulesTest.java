package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule engine. Rules and event in, JSON out: the golden cases of {@code src/test/resources/golden/<case>/}
 * ({@code rules.json} a rule file, {@code in.json} the event, {@code out.json} what the rules write). What is not an
 * output, the validation messages and the rejection of bad rule files, stays here.
 */
class FieldRulesTest {
    private static FieldRules rules(String json) throws Exception {
        return FieldRules.parse(Json.parse(json));
    }

    private static JsonNode event(String json) throws Exception {
        return Json.parse(json);
    }

    @TestFactory
    Stream<DynamicTest> golden() {
        return Golden.tests(c -> FieldRules.parse(c.json("rules.json")).apply(c.in()));
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

    /** What a strict map and a map write: golden cases strict-map-maps-a-listed-value-to-its-number, map-*. */
    @Test
    void strictMap_unknownValue_isInvalidEntry() throws Exception {
        FieldRules strict = rules("{\"rules\":[{\"to\":\"gender\",\"from\":\"g\",\"format\":\"strictMap\",\"map\":{\"2\":[\"M\",\"male\"]}}]}");
        assertThatThrownBy(() -> strict.apply(event("{\"g\":\"x\"}"))).isInstanceOf(ValidationException.class).hasMessage("Invalid entry for key gender");
    }

    @Test
    void parse_badRuleFile_failsLoudly() {
        assertThatThrownBy(() -> rules("{\"rules\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("{\"rules\":[{\"to\":\"a\",\"from\":\"b\",\"format\":\"nope\"}]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("{\"rules\":[{\"to\":\"a\",\"from\":\"@nope\"}]}")).isInstanceOf(IllegalArgumentException.class);
    }
}
