package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RudderStack's {from, to} settings tables ({@code userAttributesMapping}, {@code userAttributeMap}, ...) as an
 * ordered map (the reference's "hash from array", spec 1.1): blank {@code from} ignored, keys case-sensitive,
 * a later duplicate wins, anything that is not an array is an empty table.
 */
public final class SettingsTables {
    private SettingsTables() {}

    public static Map<String, String> fromTo(JsonNode settings, String key) {
        return table(settings.path(key), "from", "to");
    }

    /** The same rule for a table whose columns have other names. */
    public static Map<String, String> table(JsonNode rows, String fromField, String toField) {
        if (!rows.isArray()) return Map.of();
        Map<String, String> map = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            JsonNode from = row.get(fromField);
            if (from == null || !from.isValueNode() || from.asText().isBlank()) continue;
            JsonNode to = row.get(toField);
            map.put(from.asText(), to == null || to.isNull() ? "" : to.asText());
        }
        return Collections.unmodifiableMap(map);
    }
}
