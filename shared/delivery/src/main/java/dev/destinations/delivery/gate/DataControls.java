package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the user controls per destination whatever the destination: consent, the event filter, and the fields never
 * sent to it. Read from the same settings as the destination's own keys, parsed once per settings change, and
 * validated at cold start with them.
 *
 * @param dropFields event paths ({@code context.ip}, {@code traits.ssn}) removed before the flow, so no mapping
 *                   can send them; a path names object keys from the event's root, without array indexes
 */
public record DataControls(ConsentSettings consent, EventFilter filter, List<List<String>> dropFields) {
    /** Every settings key read here. */
    public static final Set<String> KEYS = keys();
    private static final Pattern PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    public DataControls {
        dropFields = List.copyOf(dropFields);
    }

    public static DataControls parse(JsonNode settings) {
        return new DataControls(ConsentSettings.parse(settings), EventFilter.parse(settings), dropFields(settings.get("dropFields")));
    }

    /** The event without the {@link #dropFields}: a copy when there is something to drop, else the event itself. */
    public Event withoutDroppedFields(Event event) {
        if (dropFields.isEmpty()) return event;
        JsonNode root = event.root().deepCopy();
        for (List<String> path : dropFields) {
            JsonNode parent = root;
            for (int i = 0; i < path.size() - 1 && parent != null; i++) parent = parent.get(path.get(i));
            if (parent instanceof ObjectNode o) o.remove(path.get(path.size() - 1));
        }
        return Event.of(root);
    }

    private static List<List<String>> dropFields(JsonNode list) {
        List<List<String>> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw new Failure(Reason.CONFIGURATION, "dropFields must be a list of event paths, e.g. [\"context.ip\", \"traits.ssn\"]");
        int i = 0;
        for (JsonNode path : list) {
            if (!path.isTextual() || !PATH.matcher(path.textValue()).matches()) {
                throw new Failure(Reason.CONFIGURATION, "dropFields[" + i + "] must be an event path of dot-separated keys, e.g. \"context.ip\"");
            }
            out.add(List.of(path.textValue().split("\\.")));
            i++;
        }
        return out;
    }

    private static Set<String> keys() {
        Set<String> keys = new HashSet<>(ConsentSettings.KEYS);
        keys.addAll(EventFilter.KEYS);
        keys.add("dropFields");
        return Set.copyOf(keys);
    }
}
