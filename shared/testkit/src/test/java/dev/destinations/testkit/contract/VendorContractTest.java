package dev.destinations.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.testkit.VendorStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VendorContractTest {
    static final VendorContract SHOP = VendorContract.load(VendorContractTest.class.getResource("shop-contract.json"));

    static VendorStub.Recorded request(String method, String rawPath, String query, String body, String key) {
        Map<String, List<String>> headers = key == null ? Map.of() : Map.of("x-key", List.of(key));
        return new VendorStub.Recorded(method, rawPath, query, headers, body);
    }

    static List<Violation> check(String method, String rawPath, String query, String body) {
        return SHOP.check(request(method, rawPath, query, body, "k"), "/api");
    }

    @Test
    void match_prefersLiteralSegmentsAndKeepsTheTrailingSlash() {
        assertThat(SHOP.match("GET", "/users/search/").orElseThrow().endpoint().name()).isEqualTo("users.search");
        assertThat(SHOP.match("GET", "/users/a%20b/").orElseThrow().ids()).containsEntry("id", "a b");
        assertThat(SHOP.match("PUT", "/users/u1/").orElseThrow().endpoint().name()).isEqualTo("users.put");
        assertThat(SHOP.match("GET", "/users/u1")).as("no trailing slash").isEmpty();
        assertThat(SHOP.match("DELETE", "/users/u1/")).as("method").isEmpty();
    }

    @Test
    void check_aValidRequestBreaksNothing() {
        assertThat(check("PUT", "/api/users/u1/", null, "{\"user_id\":\"u1\",\"first_name\":\"Ada\",\"gender\":2,\"phones\":[\"1\"]}")).isEmpty();
        assertThat(check("GET", "/api/users/search/", "email=a%40b.c", "")).isEmpty();
    }

    @Test
    void check_namesEndpointFieldRuleEntryAndSource() {
        List<Violation> v = check("PUT", "/api/users/u1/", null, "{\"email\":\"a@b.c\",\"first_name\":\"Adelaide\"}");
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.vendor()).isEqualTo("Shop");
            assertThat(x.endpoint()).isEqualTo("users.put");
            assertThat(x.request()).isEqualTo("PUT /users/u1/");
            assertThat(x.field()).isEqualTo("body.first_name");
            assertThat(x.rule()).isEqualTo("maxLength 5");
            assertThat(x.detail()).isEqualTo("8 characters").doesNotContain("Adelaide");
            assertThat(x.entry()).isEqualTo("endpoints[users.put].body.fields.first_name");
            assertThat(x.source()).isEqualTo("SHOP-LIMITS");
        });
    }

    @Test
    void check_everyKindOfRule() {
        List<Violation> v = check("PUT", "/api/users/u1/", null,
                "{\"first_name\":5,\"gender\":4,\"created\":\"2020\",\"phones\":[\"1\",2],\"traits\":{}}");
        assertThat(v).extracting(Violation::field, Violation::rule).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("body.first_name", "type string"),
                org.assertj.core.groups.Tuple.tuple("body.gender", "enum"),
                org.assertj.core.groups.Tuple.tuple("body.created", "readOnly"),
                org.assertj.core.groups.Tuple.tuple("body.phones[1]", "type string"),
                org.assertj.core.groups.Tuple.tuple("body.user_id|email", "requiredAnyOf"),
                org.assertj.core.groups.Tuple.tuple("body.traits", "additional"));
        assertThat(v).filteredOn(x -> x.field().equals("body.phones[1]")).singleElement()
                .extracting(Violation::source).as("inherited from the endpoint").isEqualTo("SHOP-USERS");
    }

    @Test
    void check_maxLengthCountsCharactersNotUtf16Units() {
        assertThat(check("PUT", "/api/users/u1/", null, "{\"user_id\":\"u\",\"first_name\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"}")).isEmpty();
    }

    @Test
    void check_pathIdsAreCheckedDecoded_queryAndHeadersToo() {
        assertThat(check("GET", "/api/users/a%2Fb/", null, "")).singleElement()
                .extracting(Violation::field, Violation::rule, Violation::source)
                .containsExactly("path.id", "pattern [A-Za-z0-9_-]+", "SHOP-IDS");
        assertThat(check("GET", "/api/users/search/", null, "")).singleElement()
                .extracting(Violation::field, Violation::rule).containsExactly("query.email", "required");
        assertThat(check("GET", "/api/users/search/", "email=" + "x".repeat(21), "")).singleElement()
                .extracting(Violation::rule).isEqualTo("maxLength 20");
        assertThat(SHOP.check(request("GET", "/api/users/u1/", null, "", null), "/api")).singleElement()
                .extracting(Violation::field, Violation::rule, Violation::source).containsExactly("header.X-Key", "required", "SHOP-AUTH");
    }

    @Test
    void check_anEndpointTheContractDoesNotListIsAViolation() {
        assertThat(check("POST", "/api/users/", null, "{}")).singleElement().satisfies(x -> {
            assertThat(x.endpoint()).isEqualTo("(none)");
            assertThat(x.rule()).isEqualTo("endpoint");
        });
        assertThat(check("GET", "/elsewhere/users/u1/", null, "")).singleElement().extracting(Violation::rule).isEqualTo("endpoint");
        assertThat(check("PUT", "/api/users/u1/", null, "not json")).extracting(Violation::rule).contains("json");
    }

    @Test
    void unknownEntries_listsWhatNoSourceSays() {
        assertThat(SHOP.unknownEntries()).containsExactlyInAnyOrder("errors.404", "endpoints[users.put].body.fields.plan");
    }

    @Test
    void error_fillsTheVendorsBodyWithTheFieldAndItsHeaders() {
        VendorStub.Reply r = SHOP.error(400, "first_name", "maxLength 5");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"errors\":{\"first_name\":[\"maxLength 5\"]}}");
        assertThat(SHOP.error(429, "", "").headers()).containsEntry("Retry-After", "7");
        assertThat(SHOP.error(418, "f", "teapot").body()).isEqualTo("{\"error\":\"teapot\"}");
    }

    @Test
    void load_aMalformedContractNamesTheEntry() {
        assertThatThrownBy(() -> VendorContract.parse("{\"vendor\":\"V\",\"endpoints\":[{\"method\":\"GET\",\"path\":\"/x\",\"source\":\"S\"}]}"))
                .hasMessageContaining("an endpoint has no 'name'");
        assertThatThrownBy(() -> VendorContract.parse("{\"vendor\":\"V\",\"endpoints\":[{\"name\":\"x\",\"method\":\"GET\",\"path\":\"/x\"}]}"))
                .hasMessageContaining("endpoints[x] has no 'source'");
        assertThatThrownBy(() -> VendorContract.parse("{\"vendor\":\"V\",\"endpoints\":[{\"name\":\"x\",\"method\":\"POST\",\"path\":\"/x\",\"source\":\"S\",\"body\":{\"type\":\"text\"}}]}"))
                .hasMessageContaining("endpoints[x].body.type 'text'");
    }
}
