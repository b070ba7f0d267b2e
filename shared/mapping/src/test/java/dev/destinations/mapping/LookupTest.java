package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LookupTest {
    static com.fasterxml.jackson.databind.JsonNode json(String s) throws Exception {
        return Json.parse(s);
    }

    @Test
    void candidates_skipMissingNullAndEmpty_keepFalseAndZero() throws Exception {
        Lookup l = Lookup.of("a", "b", "c", "d");
        assertThat(l.find(json("{\"a\":null,\"b\":\"\",\"c\":false,\"d\":1}")).booleanValue()).isFalse();
        assertThat(l.find(json("{\"b\":\"\",\"c\":0}")).intValue()).isZero();
        assertThat(l.find(json("{\"a\":null}")).isMissingNode()).isTrue();
    }

    @Test
    void genericTraits_emptyObjectWinsOverContextTraits() throws Exception {
        var found = Lookup.generic("traits").find(json("{\"traits\":{},\"context\":{\"traits\":{\"a\":1}}}"));
        assertThat(found.isObject()).isTrue();
        assertThat(found.size()).isZero();
    }

    @Test
    void genericUserId_fallsBackToAnonymousId_userIdOnlyDoesNot() throws Exception {
        var e = json("{\"anonymousId\":\"anon\",\"context\":{\"traits\":{}}}");
        assertThat(Lookup.generic("userId").findText(e)).isEqualTo("anon");
        assertThat(Lookup.generic("userIdOnly").findText(e)).isNull();
    }

    @Test
    void genericEmail_readsTheFirstExternalId() throws Exception {
        var e = json("{\"context\":{\"externalId\":[{\"type\":\"x\",\"id\":\"ext@example.com\"}]}}");
        assertThat(Lookup.generic("email").findText(e)).isEqualTo("ext@example.com");
        assertThat(Lookup.generic("emailOnly").findText(e)).isNull();
    }

    @Test
    void source_rendersLikeTheReference() {
        assertThat(Lookup.of("event").source()).isEqualTo("\"event\"");
        assertThat(Lookup.of("timestamp", "originalTimestamp").source()).isEqualTo("[\"timestamp\",\"originalTimestamp\"]");
        assertThat(Lookup.generic("userId").source()).isEqualTo("\"userId\"");
    }

    @Test
    void generic_unknownKey_isAProgrammingError() {
        assertThatThrownBy(() -> Lookup.generic("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void path_indexesArraysAndNeverThrowsOnShapeMismatch() throws Exception {
        var e = json("{\"a\":[{\"b\":\"x\"}],\"s\":\"text\"}");
        assertThat(Path.of("a.0.b").get(e).asText()).isEqualTo("x");
        assertThat(Path.of("s.b.c").get(e).isMissingNode()).isTrue();
        assertThat(Path.of("a.7.b").get(e).isMissingNode()).isTrue();
    }
}
