package dev.destinations.__package__;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import dev.destinations.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The __Name__ payloads: event in, body out, the golden cases of {@code src/test/resources/golden/<case>/}
 * ({@code in.json} the event, {@code out.json} the body; {@code -Dgolden.update} rewrites out.json from the code).
 */
class __Name__MappingTest {
    final __Name__Destination destination = new __Name__Destination();

    @TestFactory
    Stream<DynamicTest> golden() {
        return Golden.tests(c -> {
            Event e = Event.of(c.in());
            return switch (EventType.of(e.typeText())) {
                case IDENTIFY -> destination.user(e);
                case TRACK -> destination.event(e);
                default -> throw new IllegalArgumentException("no __Name__ body for type " + e.typeText());
            };
        });
    }

    @Test
    void track_withoutAnEventName_isTheRuleFilesMessage() throws Exception {
        Event e = Event.of(Json.parse("{\"type\":\"track\",\"userId\":\"u1\"}"));
        assertThatThrownBy(() -> destination.event(e)).isInstanceOf(ValidationException.class).hasMessage("Missing required value from \"event\"");
    }
}
