package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "DROP", value = {
            "\"2019-10-14T09:03:17.562Z\"     | 1571043797562",
            "\"2022-09-13T20:12:44.757+05:30\" | 1663080164757",
            "\"2019-10-14T09:03:17\"          | 1571043797000",
            "\"2019-10-14T09:03\"             | 1571043780000",
            "\"2019-10-14\"                   | 1571011200000",
            "1571043797562                    | 1571043797562",
            "\"1624431528295\"                | DROP",
            "\"yesterday\"                    | DROP",
            "\"2019-13-45T00:00:00Z\"         | DROP",
            "true                             | DROP",
            "{}                               | DROP",
            "1e300                            | DROP"})
    void epochMillis_acceptsD9ShapesOnly(String json, Long expected) throws Exception {
        assertThat(Timestamps.epochMillis(Json.parse(json))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "secondTimestamp {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"2022-09-13T20:12:44.757+05:30\" | 1663080164",
            "\"1663080164757\"                | \"1663080164757\"",
            "1663080164757                    | 1663080164757",
            "-5                               | -5"})
    void secondTimestamp_integersPassThroughUnchanged(String in, String out) throws Exception {
        assertThat(Json.write(Formatter.SECOND_TIMESTAMP.apply(Json.parse(in)))).isEqualTo(out);
    }
}
