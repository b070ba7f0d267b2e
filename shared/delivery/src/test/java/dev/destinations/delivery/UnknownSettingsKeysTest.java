package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.mapping.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnknownSettingsKeysTest {
    @Test
    void eachKeyNothingReads_isNamedOnce_withACloseSpelling() throws Exception {
        var settings = Json.parse("{\"sendAnonymousID\":true,\"sendAnonymousId\":true,\"apiKey\":\"k\",\"oneTrustCookieCategories\":[],"
                + "\"deduplicatonField\":\"x\",\"useNativeSDK\":{\"web\":false},\"eventDelivery\":false,\"colour\":\"red\",\"dropFields\":[]}");
        assertThat(UnknownSettingsKeys.warnings(settings, Set.of("sendAnonymousId", "deduplicationField"))).containsExactly(
                "unknown settings key \"sendAnonymousID\" is ignored; did you mean \"sendAnonymousId\"?",
                "unknown settings key \"deduplicatonField\" is ignored; did you mean \"deduplicationField\"?",
                "settings key \"useNativeSDK\" is a RudderStack device-mode key: ignored here (cloud mode)",
                "settings key \"eventDelivery\" is a RudderStack platform flag: ignored here",
                "unknown settings key \"colour\" is ignored");
    }

    @Test
    void theSharedKeys_areKnownToEveryDestination() throws Exception {
        var settings = Json.parse("{\"consentManagement\":[],\"ketchConsentPurposes\":[],\"consentCategories\":[],\"eventFilteringOption\":\"disable\","
                + "\"whitelistedEvents\":[],\"blacklistedEvents\":[]}");
        assertThat(UnknownSettingsKeys.warnings(settings, Set.of())).isEmpty();
    }

    @Test
    void aNearMissOfASharedKey_isSuggestedToo() throws Exception {
        assertThat(UnknownSettingsKeys.warnings(Json.parse("{\"blacklistEvents\":[]}"), Set.of()))
                .containsExactly("unknown settings key \"blacklistEvents\" is ignored; did you mean \"blacklistedEvents\"?");
    }
}
