package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import org.junit.jupiter.api.Test;

/** The gate itself; rudder-server's own table of cases is RudderServerConsentCasesTest. */
class ConsentGateTest {
    final ConsentGate<JsonNode> gate = new ConsentGate<>();

    Verdict check(String settings, String event) {
        return gate.check(Candidates.of(event, () -> Candidates.json(settings), "key"));
    }

    @Test
    void aDeniedOneTrustCategory_isSkippedAsConsentDenied_withADetailThatNamesNoUserOrId() {
        Verdict v = check("{\"oneTrustCookieCategories\":[{\"oneTrustCookieCategory\":\"C0004\"}]}",
                "{\"type\":\"track\",\"userId\":\"jane@example.com\",\"context\":{\"consentManagement\":{\"deniedConsentIds\":[\"C0004\"]}}}");
        assertThat(v.reason()).isEqualTo(Reason.CONSENT_DENIED);
        assertThat(v.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(v.detail()).isEqualTo("consent denied: a configured oneTrustCookieCategory is denied").doesNotContain("jane", "C0004");
    }

    @Test
    void theDashboardsFormBySourceType_isReadAsOneList() {
        String settings = "{\"consentManagement\":{\"web\":[{\"provider\":\"custom\",\"resolutionStrategy\":\"or\",\"consents\":[{\"consent\":\"a\"},{\"consent\":\"b\"}]}],"
                + "\"cloud\":[{\"provider\":\"custom\",\"resolutionStrategy\":\"or\",\"consents\":[{\"consent\":\"a\"},{\"consent\":\"b\"}]}],\"android\":[]}}";
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consentManagement\":{\"provider\":\"custom\",\"deniedConsentIds\":[\"a\"]}}}")).isNull();
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consentManagement\":{\"provider\":\"custom\",\"deniedConsentIds\":[\"a\",\"b\"]}}}").reason())
                .isEqualTo(Reason.CONSENT_DENIED);
    }

    @Test
    void sourceTypesThatDisagree_areAConfigurationError_D43() {
        String settings = "{\"consentManagement\":{\"web\":[{\"provider\":\"oneTrust\",\"consents\":[{\"consent\":\"a\"}]}],"
                + "\"cloud\":[{\"provider\":\"oneTrust\",\"consents\":[{\"consent\":\"b\"}]}]}}";
        assertThatThrownBy(() -> ConsentSettings.parse(Candidates.json(settings))).isInstanceOf(Failure.class)
                .hasMessage("consentManagement configures provider oneTrust differently for web and cloud: this function cannot tell an event's source type, so give it one list");
    }

    @Test
    void aResolutionStrategyOtherThanAndOr_andRowsWithoutProvider_areConfigurationErrors_D43() {
        assertThatThrownBy(() -> ConsentSettings.parse(Candidates.json("{\"consentManagement\":[{\"provider\":\"custom\",\"resolutionStrategy\":\"AND\",\"consents\":[{\"consent\":\"a\"}]}]}")))
                .hasMessage("consentManagement[0].resolutionStrategy must be \"and\" or \"or\"");
        assertThatThrownBy(() -> ConsentSettings.parse(Candidates.json("{\"consentManagement\":[{\"consents\":[{\"consent\":\"a\"}]}]}")))
                .hasMessage("consentManagement[0].provider is required when consents are given (oneTrust, ketch, custom, ...)");
        assertThat(ConsentSettings.parse(Candidates.json("{\"consentManagement\":[{\"provider\":\"oneTrust\",\"consents\":[{\"consent\":\"\"}]}]}")).isEmpty())
                .as("the dashboard's blank row").isTrue();
    }

    @Test
    void segmentsForm_everyConfiguredCategoryMustBeTrue_D44() {
        String settings = "{\"consentCategories\":[\"Analytics\",\"Functional\"]}";
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":true,\"Functional\":true,\"Ads\":false}}}}")).isNull();
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":true,\"Functional\":false}}}}").reason())
                .isEqualTo(Reason.CONSENT_DENIED);
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":true}}}}").reason())
                .as("a category missing from the preferences is not consent").isEqualTo(Reason.CONSENT_DENIED);
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{}}}}").reason()).isEqualTo(Reason.CONSENT_DENIED);
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":\"true\",\"Functional\":true}}}}").reason())
                .as("only a JSON true consents").isEqualTo(Reason.CONSENT_DENIED);
        assertThat(check(settings, "{\"type\":\"track\",\"context\":{}}")).as("no consent object: not judged, as at Segment").isNull();
        assertThat(check("{}", "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{}}}}")).as("no categories configured").isNull();
    }

    @Test
    void bothForms_mustAllow() {
        String settings = "{\"consentCategories\":[\"Analytics\"],\"ketchConsentPurposes\":[{\"purpose\":\"p1\"}]}";
        String event = "{\"type\":\"track\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Analytics\":true}},\"consentManagement\":{\"provider\":\"ketch\",\"deniedConsentIds\":[\"p1\"]}}}";
        assertThat(check(settings, event).detail()).isEqualTo("consent denied: every configured ketchConsentPurpose is denied");
    }
}
