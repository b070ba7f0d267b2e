package dev.destinations.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The golden helper itself: what counts as equal, what a failure says, and that a case cannot pass by accident. */
class GoldenTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void diff_ignoresKeyOrder_andIntVersusLong_butNotIntegralVersusFloatingPoint() throws Exception {
        assertThat(Golden.diff(json("{\"a\":1,\"b\":[true]}"), json("{\"b\":[true],\"a\":1}"))).isEmpty();
        var longs = JsonNodeFactory.instance.objectNode().put("n", 400L);
        assertThat(Golden.diff(json("{\"n\":400}"), longs)).isEmpty();
        assertThat(Golden.diff(json("{\"n\":400}"), json("{\"n\":400.0}"))).containsExactly("/n: expected 400 (integral), was 400.0 (floating point)");
        assertThat(Golden.diff(json("{\"n\":\"400\"}"), json("{\"n\":400}"))).containsExactly("/n: expected \"400\", was 400");
    }

    @Test
    void diff_namesEveryDifferingPointer() throws Exception {
        assertThat(Golden.diff(json("{\"a\":{\"b\":1,\"gone\":null},\"l\":[1,2]}"), json("{\"a\":{\"b\":2,\"new\":\"x\"},\"l\":[1]}")))
                .containsExactly("/a/b: expected 1, was 2", "/a/gone: missing, expected null", "/a/new: unexpected \"x\"",
                        "/l: expected 2 element(s), was 1");
        assertThat(Golden.diff(json("[1]"), json("{}"))).containsExactly("/: expected [1], was {}");
    }

    @Test
    void aCase_passesOnEqualOutput_andFailsWithTheDiffOtherwise(@TempDir Path root) throws Throwable {
        write(root.resolve("identify-plain/in.json"), "{\"x\":1}");
        write(root.resolve("identify-plain/out.json"), "{\"y\":1}");
        List<DynamicTest> tests = Golden.tests(root, c -> MAPPER.createObjectNode().set("y", c.in().get("x"))).toList();
        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly("identify-plain");
        tests.get(0).getExecutable().execute();

        DynamicTest broken = Golden.tests(root, c -> c.in().isObject() ? json("{\"y\":2}") : null).toList().get(0);
        assertThatThrownBy(() -> broken.getExecutable().execute()).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("/y: expected 1, was 2").hasMessageContaining("out.json differs at 1 place(s)");
    }

    @Test
    void aCase_failsOnAFileItNeverReads_andWithoutOutJson(@TempDir Path root) throws Exception {
        write(root.resolve("c/in.json"), "{}");
        write(root.resolve("c/setings.json"), "{}");
        write(root.resolve("c/out.json"), "{}");
        DynamicTest typo = Golden.tests(root, c -> c.in().isObject() ? c.json("settings.json", "{}") : null).toList().get(0);
        assertThatThrownBy(() -> typo.getExecutable().execute()).hasMessageContaining("files the test never reads: [setings.json]");

        Files.delete(root.resolve("c/setings.json"));
        Files.delete(root.resolve("c/out.json"));
        DynamicTest noOut = Golden.tests(root, Golden.Case::in).toList().get(0);
        assertThatThrownBy(() -> noOut.getExecutable().execute()).hasMessageContaining("has no out.json");
    }

    @Test
    void noCaseFolders_isAFailure_notAnEmptyPass(@TempDir Path root) {
        assertThatThrownBy(() -> Golden.cases(root)).isInstanceOf(AssertionFailedError.class).hasMessageContaining("no golden case folders");
    }

    @Test
    void updateMode_writesTheActualOutput_andStillFails(@TempDir Path root) throws Throwable {
        write(root.resolve("c/in.json"), "{}");
        write(root.resolve("c/out.json"), "{\"old\":true}");
        System.setProperty(Golden.UPDATE_PROPERTY, "true");
        try {
            DynamicTest t = Golden.tests(root, c -> c.in().isObject() ? json("{\"new\":[1,2],\"o\":{},\"l\":[]}") : null).toList().get(0);
            assertThatThrownBy(() -> t.getExecutable().execute()).hasMessageContaining("review it with git diff");
        } finally {
            System.clearProperty(Golden.UPDATE_PROPERTY);
        }
        assertThat(Files.readString(root.resolve("c/out.json"))).isEqualTo("{\n  \"new\": [\n    1,\n    2\n  ],\n  \"o\": {},\n  \"l\": []\n}\n");
        Golden.tests(root, c -> c.in().isObject() ? json("{\"new\":[1,2],\"o\":{},\"l\":[]}") : null).toList().get(0).getExecutable().execute();
    }

    @Test
    void requests_areMethodPathBelowTheBaseRawQueryAndJsonBody() throws Exception {
        var recorded = List.of(new VendorStub.Recorded("GET", "/api/public/users/search/", "email=a%2Bb%40x", java.util.Map.of(), ""),
                new VendorStub.Recorded("POST", "/api/public/users/", null, java.util.Map.of(), "{\"custom_id\":\"u1\"}"),
                new VendorStub.Recorded("PUT", "/api/public/x/", "", java.util.Map.of(), "not json"));
        assertThat(Golden.requests(recorded, "/api/public")).isEqualTo(json("[{\"method\":\"GET\",\"path\":\"/users/search/\",\"query\":\"email=a%2Bb%40x\"},"
                + "{\"method\":\"POST\",\"path\":\"/users/\",\"body\":{\"custom_id\":\"u1\"}},{\"method\":\"PUT\",\"path\":\"/x/\",\"body\":\"not json\"}]"));
        assertThatThrownBy(() -> Golden.requests(recorded, "/v1")).hasMessageContaining("is not under /v1");
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
