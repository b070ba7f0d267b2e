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
}
