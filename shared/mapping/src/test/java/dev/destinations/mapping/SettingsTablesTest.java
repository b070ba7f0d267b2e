package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingsTablesTest {
    @Test
    void fromTo_blankFromIgnored_laterDuplicateWins_caseSensitive() throws Exception {
        var s = Json.parse("{\"m\":[{\"from\":\"a\",\"to\":\"x\"},{\"from\":\" \",\"to\":\"y\"},{\"from\":\"a\",\"to\":\"z\"},{\"from\":\"A\",\"to\":\"w\"}]}");
        assertThat(SettingsTables.fromTo(s, "m")).containsExactly(java.util.Map.entry("a", "z"), java.util.Map.entry("A", "w"));
    }

    @Test
    void fromTo_missingOrNotAnArray_isEmpty() throws Exception {
        assertThat(SettingsTables.fromTo(Json.parse("{\"m\":\"x\"}"), "m")).isEmpty();
        assertThat(SettingsTables.fromTo(Json.parse("{}"), "m")).isEmpty();
    }
}
