package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what Node prints for String(x) (ECMAScript Number::toString). */
class JavaScriptTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "100.0                   | 100",
            "1.5                     | 1.5",
            "-1.5                    | -1.5",
            "0.1                     | 0.1",
            "0.30000000000000004     | 0.30000000000000004",
            "12345678.9              | 12345678.9",
            "123456789012.5          | 123456789012.5",
            "1e20                    | 100000000000000000000",
            "1e21                    | 1e+21",
            "1.23e22                 | 1.23e+22",
            "0.000001                | 0.000001",
            "0.0000001               | 1e-7",
            "1.5e-7                  | 1.5e-7",
            "5e-324                  | 5e-324",
            "1.7976931348623157e308  | 1.7976931348623157e+308",
            "-0.0                    | 0",
            "123e-20                 | 1.23e-18"})
    void numberToString_isEcmaScripts(String java, String javaScript) {
        assertThat(JavaScript.numberToString(Double.parseDouble(java))).isEqualTo(javaScript);
    }

    @ParameterizedTest(name = "String({0}) -> {1}")
    @CsvSource(delimiter = '|', value = {
            "9007199254740993        | 9007199254740992",
            "12345678901234567890    | 12345678901234567000",
            "-42                     | -42",
            "-9223372036854775808    | -9223372036854776000",
            "9007199254740992        | 9007199254740992",
            "[1,null,2.0,\"a\"]      | '1,,2,a'",
            "{}                      | [object Object]",
            "true                    | true"})
    void string_ofJsonValues(String json, String expected) throws Exception {
        assertThat(JavaScript.string(Json.parse(json))).isEqualTo(expected);
    }

    /**
     * Against the real thing when Node is installed (skipped otherwise): 40,000 doubles, random bit patterns
     * included (subnormals, extremes), each formatted here and by Node's String(x).
     */
    @org.junit.jupiter.api.Test
    void numberToString_agreesWithNode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        java.util.Random random = new java.util.Random(5);
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            double d = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(60) - 30);
                case 2 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(8));
                default -> (double) (random.nextLong() >> random.nextInt(64));
            };
            cases.append(Long.toHexString(Double.doubleToRawLongBits(d))).append(' ').append(JavaScript.numberToString(d)).append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve("cases.txt"), cases);
        java.nio.file.Files.writeString(dir.resolve("check.js"), """
                const b = Buffer.alloc(8); let bad = [];
                for (const l of require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\\n')) {
                  const [hex, ours] = l.split(' ');
                  b.writeBigUInt64BE(BigInt.asUintN(64, BigInt('0x' + hex)));
                  const theirs = String(b.readDoubleBE(0));
                  if (theirs !== ours) bad.push(hex + ': node ' + theirs + ', ours ' + ours);
                }
                console.log(bad.slice(0, 5).join('\\n') || 'ok');
                """);
        Process node = new ProcessBuilder("node", dir.resolve("check.js").toString(), dir.resolve("cases.txt").toString())
                .redirectErrorStream(true).start();
        String answer = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(node.waitFor()).as(answer).isZero();
        assertThat(answer).isEqualTo("ok");
    }

    private static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
