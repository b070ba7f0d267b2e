package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTest {
    private static final List<String> NAMES = List.of("CUSTIFY", "Custify");

    @ParameterizedTest(name = "{0} -> disabled={1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                          | false",
            "{\"Custify\":false}                         | true",
            "{\"CUSTIFY\":false,\"Custify\":true}        | true",
            "{\"All\":false}                             | true",
            "{\"All\":false,\"Custify\":true}            | false",
            "{\"All\":false,\"Custify\":{\"x\":1}}       | false",
            "{\"All\":true,\"Custify\":false}            | true",
            "{\"Other\":false}                           | false",
            "\"not an object\"                           | false"})
    void disabledFor_followsD13(String integrations, boolean disabled) throws Exception {
        Event e = Event.of(Json.parse("{\"type\":\"track\",\"integrations\":" + integrations + "}"));
        assertThat(e.disabledFor(NAMES)).isEqualTo(disabled);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"userId\":\"u\",\"anonymousId\":\"a\"} | u",
            "{\"userId\":\"\",\"anonymousId\":\"a\"}  | a",
            "{\"userId\":42}                          | 42",
            "{\"userAttributes\":[{\"userId\":\"d\"}]} | d"})
    void orderingKey_isUserIdElseAnonymousId(String json, String key) throws Exception {
        assertThat(Event.of(Json.parse(json)).orderingKey()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"IDENTIFY,IDENTIFY", "Track,TRACK", "userDeletion,USER_DELETION", "screen,SCREEN", "Suppress,SUPPRESS", "unsuppress,UNSUPPRESS"})
    void eventType_isCaseInsensitive(String text, EventType type) {
        assertThat(EventType.of(text)).isEqualTo(type);
    }
}
