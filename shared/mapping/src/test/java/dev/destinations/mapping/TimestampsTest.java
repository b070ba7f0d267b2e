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

    @ParameterizedTest(name = "D22 {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "DROP", value = {
            "2026-12-01T06:53:59+0000                                         | 1796108039000",
            "2026-12-01T06:53:59+0530                                         | 1796088239000",
            "2026-12-01T06:53:59.123-0800                                     | 1796136839123",
            "2026-12-01 06:53:59                                              | 1796108039000",
            "2026-12-01 06:53:59.123                                          | 1796108039123",
            "2026-12-01 06:53:59 UTC                                          | 1796108039000",
            "2026-12-01T06:53:59 GMT                                          | 1796108039000",
            "2026-12-01 06:53:59+00:00                                        | 1796108039000",
            "2026-12-01t06:53:59z                                             | 1796108039000",
            "Tue, 01 Dec 2026 06:53:59 +0000                                  | 1796108039000",
            "Tue, 1 Dec 2026 06:53:59 GMT                                     | 1796108039000",
            "01 Dec 2026 12:23:59 +0530                                       | 1796108039000",
            "Tue, 01 Dec 2026 06:53 UT                                        | 1796107980000",
            "Tue Dec 01 2026 06:53:59 GMT+0000 (Coordinated Universal Time)   | 1796108039000",
            "Tue Dec 01 2026 12:23:59 GMT+0530 (India Standard Time)          | 1796108039000",
            "Tue Dec 01 2026 06:53:59 GMT+0000                                | 1796108039000",
            "2026-12-01 06:53:59 PST                                          | DROP",
            "Tue, 01 Dec 2026 06:53:59 PST                                    | DROP",
            "Tue, 32 Dec 2026 06:53:59 +0000                                  | DROP",
            "2026-12-01T06:53:59+2500                                         | DROP",
            "December 1, 2026                                                 | DROP",
            "Tue Dec 01 2026                                                  | DROP",
            "2026/12/01 06:53:59                                              | DROP",
            "2026-12-01  06:53:59                                             | DROP"})
    void epochMillis_readsTheFormsRealProducersSend_D22(String text, Long expected) {
        assertThat(Timestamps.epochMillis(Json.NODES.textNode(text))).isEqualTo(expected);
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

    /** The fast reader must agree with java.time on every text it accepts, and leave every other text to it. */
    @org.junit.jupiter.api.Test
    void commonIsoReader_agreesWithJavaTime() {
        java.util.Random random = new java.util.Random(7);
        String[] offsets = {"Z", "+05:30", "-08:00", "+00:00", "+18:00", "-18:00", "+18:01", "+14:60", "+1:00", "z", "+0530", ""};
        int fast = 0;
        for (int n = 0; n < 200_000; n++) {
            String fraction = switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> "." + random.nextInt(10);
                case 2 -> "." + String.format("%03d", random.nextInt(1000));
                case 3 -> "." + String.format("%09d", random.nextInt(1_000_000_000));
                default -> random.nextBoolean() ? "." : "." + String.format("%010d", random.nextInt(1_000_000_000));
            };
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10000), random.nextInt(14), random.nextInt(33),
                    random.nextInt(26), random.nextInt(62), random.nextInt(62), fraction, offsets[random.nextInt(offsets.length)]);
            if (random.nextInt(20) == 0) { // a stray character somewhere
                int at = random.nextInt(text.length());
                text = text.substring(0, at) + "x/ 9".charAt(random.nextInt(4)) + text.substring(at + 1);
            }
            long quick = Timestamps.parseCommonIso(text);
            if (quick != Long.MIN_VALUE) {
                fast++;
                assertThat(quick).as(text).isEqualTo(Timestamps.parseIsoWithJavaTime(text));
            }
            assertThat(Timestamps.parseIso(text)).as(text).isEqualTo(Timestamps.parseIsoWithJavaTime(text.strip()));
        }
        assertThat(fast).as("texts the fast reader took").isGreaterThan(50_000);
    }
}
