package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import org.junit.jupiter.api.Test;

class FilterGateTest {
    final FilterGate<JsonNode> gate = new FilterGate<>();
    static final String ALLOW = "{\"eventFilteringOption\":\"whitelistedEvents\",\"whitelistedEvents\":[{\"eventName\":\" Order Completed \"},{}],"
            + "\"blacklistedEvents\":[{\"eventName\":\"Order Completed\"}]}";
    static final String BLOCK = "{\"eventFilteringOption\":\"blacklistedEvents\",\"blacklistedEvents\":[{\"eventName\":\"Page Scrolled\"}]}";

    Verdict check(String settings, String event) {
        return gate.check(Candidates.of(event, () -> Candidates.json(settings), "key"));
    }

    @Test
    void anAllowlist_passesItsNames_trimmed_andFiltersTheRest() {
        assertThat(check(ALLOW, "{\"type\":\"track\",\"event\":\"Order Completed  \"}")).isNull();
        Verdict v = check(ALLOW, "{\"type\":\"track\",\"event\":\"order completed\"}");
        assertThat(v.reason()).as("case-sensitive, as RudderStack's SDK").isEqualTo(Reason.FILTERED);
        assertThat(v.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(v.detail()).isEqualTo("the track event's name is not in whitelistedEvents");
        assertThat(check(ALLOW, "{\"type\":\"track\"}").reason()).as("a track without a name fails an allowlist").isEqualTo(Reason.FILTERED);
        assertThat(check(ALLOW, "{\"type\":\"identify\",\"event\":\"x\"}")).as("only track events are filtered").isNull();
    }

    @Test
    void aBlocklist_filtersItsNames_andPassesNameless() {
        assertThat(check(BLOCK, "{\"type\":\"track\",\"event\":\"Page Scrolled\"}").detail()).isEqualTo("the track event's name is in blacklistedEvents");
        assertThat(check(BLOCK, "{\"type\":\"track\",\"event\":\"Signed Up\"}")).isNull();
        assertThat(check(BLOCK, "{\"type\":\"track\",\"event\":\"\"}")).isNull();
    }

    @Test
    void disabledOrUnset_filtersNothing_butABrokenListIsStillAnError() {
        assertThat(check("{\"eventFilteringOption\":\"disable\",\"blacklistedEvents\":[{\"eventName\":\"Page Scrolled\"}]}",
                "{\"type\":\"track\",\"event\":\"Page Scrolled\"}")).isNull();
        assertThat(check("{}", "{\"type\":\"track\",\"event\":\"Page Scrolled\"}")).isNull();
        assertThatThrownBy(() -> EventFilter.parse(Candidates.json("{\"whitelistedEvents\":[\"a\"]}"))).hasMessage("whitelistedEvents[0] must be an object {\"eventName\": \"...\"}");
        assertThatThrownBy(() -> EventFilter.parse(Candidates.json("{\"eventFilteringOption\":\"allow\"}")))
                .hasMessage("eventFilteringOption must be \"disable\", \"whitelistedEvents\" or \"blacklistedEvents\"");
    }

    @Test
    void theTemplatesBlockedNames_filterAnyEventSoNamed_whateverTheSettingsSay() {
        FilterGate<JsonNode> blocked = new FilterGate<>(EventFilter.blockedTrackEvents(" Page Scrolled ,,Order Completed"));
        java.util.function.BiFunction<String, String, Verdict> check = (settings, event) -> blocked.check(Candidates.of(event, () -> Candidates.json(settings), "key"));
        assertThat(EventFilter.blockedTrackEvents(" Page Scrolled ,,Order Completed").names()).containsExactlyInAnyOrder("Page Scrolled", "Order Completed");
        assertThat(EventFilter.blockedTrackEvents("").names()).isEmpty();
        Verdict v = check.apply("{}", "{\"type\":\"track\",\"event\":\" Order Completed\"}");
        assertThat(v.reason()).as("trimmed, as the settings' lists").isEqualTo(Reason.FILTERED);
        assertThat(v.detail()).isEqualTo("the event's name is in the template's BlockedTrackEvents (BLOCKED_TRACK_EVENTS)");
        assertThat(check.apply(ALLOW, "{\"type\":\"track\",\"event\":\"Order Completed\"}").reason())
                .as("an allowlist in the settings does not let a blocked name through").isEqualTo(Reason.FILTERED);
        assertThat(check.apply("{}", "{\"type\":\"identify\",\"event\":\"Page Scrolled\"}").reason())
                .as("any type carrying the name, as the SNS filter drops it").isEqualTo(Reason.FILTERED);
        assertThat(check.apply("{}", "{\"type\":\"track\",\"event\":\"page scrolled\"}")).as("case-sensitive").isNull();
        assertThat(check.apply("{}", "{\"type\":\"track\"}")).as("nameless passes").isNull();
        assertThat(check.apply("{}", "{\"type\":\"track\",\"event\":null}")).isNull();
        assertThat(check.apply(BLOCK, "{\"type\":\"track\",\"event\":\"Page Scrolled\"}").detail())
                .as("the template's list is asked first").startsWith("the event's name is in the template's");
    }
}
