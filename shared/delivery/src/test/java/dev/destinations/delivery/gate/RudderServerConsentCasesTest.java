package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of rudder-server's consent tests (processor/consent_test.go at the commit named in
 * src/test/resources/rudder-server/consent_test_cases.json), run against {@link ConsentSettings} and {@link
 * ConsentGate}: the settings parsers (TestGetOneTrustConsentCategories, TestGetKetchConsentCategories,
 * TestGetGenericConsentManagementData), the event's consent (TestGetConsentManagementInfo) and the decision per
 * destination (TestFilterDestinations). Where rudder-server silently ignores a malformed consent setting, this
 * project refuses it as a configuration error (D43): those cases are listed below by name, and assert the error.
 */
class RudderServerConsentCasesTest {
    static final JsonNode FILE = load();
    static final JsonNode TABLES = FILE.get("tables");

    /** Cases whose destination config rudder-server ignores in part, and this project refuses (D43). */
    static final Set<String> REFUSED = Set.of(
            "TestGetOneTrustConsentCategories/some oneTrustCookieCategories",          // rows 123 and {"oneTrustCookieCategory": 123}
            "TestGetKetchConsentCategories/some ketchConsentPurposes",                 // rows 123 and {"purpose": 123}
            "TestGetGenericConsentManagementData/should return empty generic consent management data when consent management config is malformed",
            "TestGetGenericConsentManagementData/should return empty generic consent management data when consent management config is not as per the expected structure",
            "TestFilterDestinations/filter out destination with oneTrustCookieCategories/destID-1", // consentManagement an object, "this should be ignored"
            "TestFilterDestinations/filter out destination with oneTrustCookieCategories/destID-2",
            "TestFilterDestinations/filter out destination with ketchConsentPurposes/destID-1",
            "TestFilterDestinations/filter out destination with ketchConsentPurposes/destID-2",
            "TestFilterDestinations/filter out destination with ketchConsentPurposes/destID-4");

    final List<String> refusedSeen = new ArrayList<>();

    @Test
    void theSourceIsCited_andEveryTableIsThere() {
        assertThat(FILE.get("source").asText()).isEqualTo("rudderlabs/rudder-server processor/consent_test.go");
        assertThat(FILE.get("commit").asText()).hasSize(40);
        assertThat(TABLES.get("TestGetOneTrustConsentCategories")).hasSize(3);
        assertThat(TABLES.get("TestGetKetchConsentCategories")).hasSize(3);
        assertThat(TABLES.get("TestFilterDestinations")).hasSize(12);
        assertThat(TABLES.get("TestGetConsentManagementInfo")).hasSize(9);
        assertThat(TABLES.get("TestGetGenericConsentManagementData")).hasSize(6);
    }

    @TestFactory
    Stream<DynamicTest> getOneTrustConsentCategories() {
        return cases("TestGetOneTrustConsentCategories", c -> settingsCase(c, "TestGetOneTrustConsentCategories",
                s -> s.oneTrustCategories(), c.get("dest").path("Config")));
    }

    @TestFactory
    Stream<DynamicTest> getKetchConsentCategories() {
        return cases("TestGetKetchConsentCategories", c -> settingsCase(c, "TestGetKetchConsentCategories",
                s -> s.ketchPurposes(), c.get("dest").path("Config")));
    }

    @TestFactory
    Stream<DynamicTest> getGenericConsentManagementData() {
        return cases("TestGetGenericConsentManagementData", c -> {
            JsonNode config = c.get("input").path("Config");
            if (refused("TestGetGenericConsentManagementData/" + name(c), config)) return;
            Map<String, ConsentSettings.Generic> expected = new LinkedHashMap<>();
            c.get("expected").fields().forEachRemaining(e -> expected.put(e.getKey(),
                    new ConsentSettings.Generic(e.getValue().path("ResolutionStrategy").asText(""), strings(e.getValue().get("Consents")))));
            assertThat(ConsentSettings.parse(config).generic()).isEqualTo(expected);
        });
    }

    @TestFactory
    Stream<DynamicTest> getConsentManagementInfo() {
        return cases("TestGetConsentManagementInfo", c -> {
            JsonNode expected = c.get("expected");
            ConsentGate.EventConsent read = ConsentGate.EventConsent.read(c.get("input"));
            assertThat(read.provider()).isEqualTo(expected.path("Provider").asText(""));
            assertThat(read.resolutionStrategy()).isEqualTo(expected.path("ResolutionStrategy").asText(""));
            assertThat(read.deniedConsentIds()).isEqualTo(strings(expected.get("DeniedConsentIDs")));
        });
    }

    @TestFactory
    Stream<DynamicTest> filterDestinations() {
        return cases("TestFilterDestinations", c -> {
            ConsentGate.EventConsent consent = ConsentGate.EventConsent.read(c.get("event"));
            for (JsonNode connection : c.get("connectionInfo")) {
                List<String> allowed = new ArrayList<>();
                List<String> expected = strings(connection.get("expectedDestIDs"));
                for (JsonNode dest : connection.get("destinations")) {
                    String id = dest.get("ID").asText();
                    if (refused("TestFilterDestinations/" + name(c) + "/" + id, dest.path("Config"))) {
                        expected.remove(id); // rudder-server's verdict stands for a config it reads; this one is refused
                        continue;
                    }
                    if (ConsentGate.rudderStack(ConsentSettings.parse(dest.path("Config")), consent) == null) allowed.add(id);
                }
                assertThat(allowed).as(connection.get("sourceId").asText()).isEqualTo(expected);
            }
        });
    }

    @Test
    void theRefusedCasesAreExactlyTheListedOnes() {
        for (String table : List.of("TestGetOneTrustConsentCategories", "TestGetKetchConsentCategories")) {
            for (JsonNode c : TABLES.get(table)) {
                if (fails(c.get("dest").path("Config"))) refusedSeen.add(table + "/" + name(c));
            }
        }
        for (JsonNode c : TABLES.get("TestGetGenericConsentManagementData")) {
            if (fails(c.get("input").path("Config"))) refusedSeen.add("TestGetGenericConsentManagementData/" + name(c));
        }
        for (JsonNode c : TABLES.get("TestFilterDestinations")) {
            for (JsonNode connection : c.get("connectionInfo")) {
                for (JsonNode dest : connection.get("destinations")) {
                    if (fails(dest.path("Config"))) refusedSeen.add("TestFilterDestinations/" + name(c) + "/" + dest.get("ID").asText());
                }
            }
        }
        assertThat(refusedSeen).containsExactlyInAnyOrderElementsOf(REFUSED);
    }

    private void settingsCase(JsonNode c, String table, java.util.function.Function<ConsentSettings, List<String>> read, JsonNode config) {
        if (refused(table + "/" + name(c), config)) return;
        assertThat(read.apply(ConsentSettings.parse(config))).isEqualTo(strings(c.get("expected")));
    }

    /** A listed case must be refused as CONFIGURATION; any other must parse. */
    private static boolean refused(String key, JsonNode config) {
        if (!REFUSED.contains(key)) return false;
        assertThatThrownBy(() -> ConsentSettings.parse(config)).isInstanceOf(Failure.class)
                .satisfies(f -> assertThat(((Failure) f).reason()).isEqualTo(Reason.CONFIGURATION));
        return true;
    }

    private static boolean fails(JsonNode config) {
        try {
            ConsentSettings.parse(config);
            return false;
        } catch (Failure f) {
            return true;
        }
    }

    private static Stream<DynamicTest> cases(String table, java.util.function.Consumer<JsonNode> run) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TABLES.get(table)) tests.add(DynamicTest.dynamicTest(name(c), () -> run.accept(c)));
        return tests.stream();
    }

    private static String name(JsonNode c) {
        return c.get("description").asText();
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null) list.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static JsonNode load() {
        try (InputStream in = RudderServerConsentCasesTest.class.getResourceAsStream("/rudder-server/consent_test_cases.json")) {
            return Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
