package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.mapping.Event;
import org.junit.jupiter.api.Test;

class DataControlsTest {
    @Test
    void dropFields_removesEachPath_fromACopy_andIgnoresPathsTheEventLacks() {
        DataControls controls = DataControls.parse(Candidates.json("{\"dropFields\":[\"context.ip\",\"traits.ssn\",\"properties.a.b\",\"nowhere.x\"]}"));
        Event event = Event.of(Candidates.json("{\"type\":\"identify\",\"context\":{\"ip\":\"1.2.3.4\",\"locale\":\"de\"},\"traits\":{\"ssn\":\"123\",\"plan\":\"pro\"},\"properties\":{\"a\":\"text\"}}"));
        Event sent = controls.withoutDroppedFields(event);
        assertThat(sent.root().toString()).isEqualTo("{\"type\":\"identify\",\"context\":{\"locale\":\"de\"},\"traits\":{\"plan\":\"pro\"},\"properties\":{\"a\":\"text\"}}");
        assertThat(event.root().path("context").has("ip")).as("the original is untouched (logs, redaction, keys)").isTrue();
    }

    @Test
    void noDropFields_isTheSameEvent() {
        Event event = Event.of(Candidates.json("{\"type\":\"track\"}"));
        assertThat(DataControls.parse(Candidates.json("{}")).withoutDroppedFields(event)).isSameAs(event);
    }

    @Test
    void aPathThatIsNotDotSeparatedKeys_isAConfigurationError() {
        assertThatThrownBy(() -> DataControls.parse(Candidates.json("{\"dropFields\":[\"context..ip\"]}")))
                .hasMessage("dropFields[0] must be an event path of dot-separated keys, e.g. \"context.ip\"");
        assertThatThrownBy(() -> DataControls.parse(Candidates.json("{\"dropFields\":\"context.ip\"}")))
                .hasMessage("dropFields must be a list of event paths, e.g. [\"context.ip\", \"traits.ssn\"]");
    }
}
