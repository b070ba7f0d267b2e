package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where User.com requests go: the subdomain check, the base-URL override, the lookup precedence (3.4) and D5 encoding. */
class UserComUrlTest {
    static final String BASE = "https://commander.user.com/api/public";
    final UserComDestination user = new UserComDestination();

    static UserComSettings settings(String json) throws Exception {
        return UserComSettings.parse(Json.parse(json));
    }

    static Event event(String json) throws Exception {
        return Event.of(Json.parse(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.com/x", "a.b", "evil.com#", "a b", " commander", "commander.user.com", "http://x", "a@b", "ü", "x?y"})
    void subdomain_otherThanLettersDigitsHyphens_isAConfigurationFailure(String subdomain) {
        String json = "{\"appSubdomain\":" + Json.write(Json.NODES.textNode(subdomain)) + "}";
        assertThatThrownBy(() -> settings(json)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(f.getMessage()).isEqualTo(UserComSettings.INVALID_SUBDOMAIN);
        });
    }

    @Test
    void subdomain_emptyMissingOrNotText_isAConfigurationFailure() {
        for (String json : List.of("{\"appSubdomain\":\"\"}", "{}", "{\"appSubdomain\":null}")) {
            assertThatThrownBy(() -> settings(json)).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.reason()).isEqualTo(Reason.CONFIGURATION);
                assertThat(f.getMessage()).startsWith("appSubdomain is required");
            });
        }
        assertThatThrownBy(() -> settings("{\"appSubdomain\":42}")).hasMessage(UserComSettings.INVALID_SUBDOMAIN);
        // the record checks too, so no code path can build a URL from an unchecked value
        assertThatThrownBy(() -> new UserComSettings("evil.com/x", Map.of(), List.of(), Map.of())).isInstanceOf(Failure.class);
    }

    @Test
    void baseUrl_isTheSubdomainsPublicApi() throws Exception {
        assertThat(user.baseUrl(settings("{\"appSubdomain\":\"my-app1\"}"), null)).isEqualTo("https://my-app1.user.com/api/public");
    }

    @Test
    void baseUrl_override_substitutesTheSubdomainPlaceholder_orIsTheWholeBase() throws Exception {
        var s = settings("{\"appSubdomain\":\"commander\"}");
        assertThat(user.baseUrl(s, dev.destinations.delivery.BaseUrl.override(" http://127.0.0.1:9000/{appSubdomain}.user.com/api/public/")))
                .isEqualTo("http://127.0.0.1:9000/commander.user.com/api/public");
        assertThat(user.baseUrl(s, "https://{appSubdomain}.proxy.example.com/api/public")).isEqualTo("https://commander.proxy.example.com/api/public");
        assertThat(user.baseUrl(s, "http://127.0.0.1:9000/commander.user.com/api/public")).isEqualTo("http://127.0.0.1:9000/commander.user.com/api/public");
    }

    @Test
    void headers_tokenAuthAndApiVersion2() {
        assertThat(user.headers("k1")).containsExactlyInAnyOrderEntriesOf(Map.of("Content-Type", "application/json",
                "Authorization", "Token k1", "Accept", "*/*;version=2"));
    }

    @Test
    void lookup_emailWithPlus_isPercentEncodedInTheQuery_D5() throws Exception {
        var lookup = user.userLookup(event("{\"traits\":{\"email\":\"ada+news@example.com\"}}"), BASE);
        assertThat(lookup.url()).isEqualTo(BASE + "/users/search/?email=ada%2Bnews%40example.com");
    }

    @Test
    void lookup_idsInPaths_areEncoded_andCannotClimbOutOfTheirSegment_D5() throws Exception {
        assertThat(user.userLookup(event("{\"userId\":\"user@123\"}"), BASE).url()).isEqualTo(BASE + "/users-by-id/user@123/");
        assertThat(user.userLookup(event("{\"userId\":\"a/b?c#d e\"}"), BASE).url()).isEqualTo(BASE + "/users-by-id/a%2Fb%3Fc%23d%20e/");
        assertThat(user.userLookup(event("{\"userId\":\"..\"}"), BASE).url()).isEqualTo(BASE + "/users-by-id/%2E%2E/");
        assertThat(user.userLookup(event("{\"userId\":43}"), BASE).url()).isEqualTo(BASE + "/users-by-id/43/");
    }

    @Test
    void lookup_precedence_userKeyThenLookupOptionThenUserIdThenEmail() throws Exception {
        String all = "{\"userId\":\"u1\",\"traits\":{\"email\":\"a@example.com\",\"phone\":\"+48 600\"},"
                + "\"context\":{\"externalId\":[{\"type\":\"other\",\"id\":\"x\"},{\"type\":\"userKey\",\"id\":\"k9\"}]},\"integrations\":{\"User\":{\"lookup\":\"phone\"}}}";
        assertThat(user.userLookup(event(all), BASE)).isEqualTo(new UserComDestination.UserLookup(BASE + "/users/search/?key=k9", false));
        String noKey = all.replace("\"userKey\"", "\"other\"");
        assertThat(user.userLookup(event(noKey), BASE)).isEqualTo(new UserComDestination.UserLookup(BASE + "/users/search/?phone_number=%2B48%20600", true));
        String noOption = noKey.replace(",\"integrations\":{\"User\":{\"lookup\":\"phone\"}}", "");
        assertThat(user.userLookup(event(noOption), BASE).url()).isEqualTo(BASE + "/users-by-id/u1/");
        // only the top-level userId counts for branch 3, never traits or anonymousId
        String noUserId = "{\"anonymousId\":\"anon\",\"traits\":{\"userId\":\"t\"},\"context\":{\"externalId\":[{\"type\":\"x\",\"id\":\"a@example.com\"}]}}";
        assertThat(user.userLookup(event(noUserId), BASE).url()).isEqualTo(BASE + "/users/search/?email=a%40example.com");
    }

    @Test
    void lookup_numericUserKey_isIgnored() throws Exception {
        var e = event("{\"userId\":\"u1\",\"context\":{\"externalId\":[{\"type\":\"userKey\",\"id\":12}]}}");
        assertThat(user.userLookup(e, BASE).url()).isEqualTo(BASE + "/users-by-id/u1/");
    }

    @Test
    void lookup_validationMessages_areTheReferences() {
        assertThatThrownBy(() -> user.userLookup(event("{\"userId\":\"u\",\"integrations\":{\"user.com\":{\"lookup\":\"email\"}}}"), BASE))
                .isInstanceOf(ValidationException.class).hasMessage("Lookup field : email value is not present");
        assertThatThrownBy(() -> user.userLookup(event("{\"userId\":\"u\",\"integrations\":{\"user\":{\"lookup\":\"phone\"}}}"), BASE))
                .hasMessage("Lookup field : phone value is not present");
        assertThatThrownBy(() -> user.userLookup(event("{\"userId\":\"u\",\"integrations\":{\"USER\":{\"lookup\":\"custom_id\"}}}"), BASE))
                .hasMessage("Lookup field : custom_id is not supported for this destination");
        assertThatThrownBy(() -> user.userLookup(event("{\"anonymousId\":\"a\"}"), BASE))
                .hasMessage("Default lookup field : email value is empty");
    }
}
