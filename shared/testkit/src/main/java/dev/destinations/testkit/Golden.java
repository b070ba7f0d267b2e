package dev.destinations.testkit;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Golden tests: each case is a folder of real JSON files, read from the module's source tree (Maven runs tests in the
 * module folder): {@code src/test/resources/golden/<case>/} for a mapping, {@code src/test/resources/golden-flow/<case>/}
 * for a delivered flow through the real handler. {@code in.json} is the input event, {@code out.json} the expected output
 * (a body, or the vendor requests of a flow); a module may add inputs: a destination's {@code settings.json}, the
 * mapping engine's {@code rules.json}, a flow's {@code vendor.json} (what the fake vendor holds). The folder's name says
 * what the case checks and is the test's name.
 *
 * <p>The comparison is structural (Jackson trees; key order does not count) with one tolerance: integral numbers
 * compare by value (a formatter writes a long where the parser reads an int), as do floating-point numbers, but an
 * integral number never equals a floating-point one (the vendor would see {@code 400} or {@code 400.0}). A failure
 * lists every differing JSON pointer, then both documents.
 *
 * <p>A flow's output is the vendor requests it sends: {@link #requests} writes them as JSON for an {@code out.json}.
 *
 * <p>{@code -Dgolden.update=true} writes the actual output to a case's {@code out.json} when it differs (or is
 * missing) and still fails that case: read the change with {@code git diff}, then run again.
 */
public final class Golden {
    public static final String UPDATE_PROPERTY = "golden.update";
    public static final Path DEFAULT_DIR = Path.of("src", "test", "resources", "golden");
    public static final Path FLOW_DIR = Path.of("src", "test", "resources", "golden-flow");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Golden() {
    }

    /** The mapping under test: a case's inputs to the output to compare with its {@code out.json}. */
    @FunctionalInterface
    public interface Mapping {
        JsonNode apply(Case c) throws Exception;
    }

    /** One dynamic test per case folder of {@link #DEFAULT_DIR}, named by the folder, for a {@code @TestFactory}. */
    public static Stream<DynamicTest> tests(Mapping mapping) {
        return tests(DEFAULT_DIR, mapping);
    }

    public static Stream<DynamicTest> tests(Path dir, Mapping mapping) {
        return cases(dir).stream().map(c -> DynamicTest.dynamicTest(c.name(), c.dir().toUri(), () -> c.check(mapping)));
    }

    /** The case folders of {@code dir}, sorted; fails when there are none (a moved folder must not pass silently). */
    public static List<Case> cases(Path dir) {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory).sorted().forEach(p -> cases.add(new Case(p)));
        } catch (IOException e) {
            throw new UncheckedIOException("no golden cases at " + dir.toAbsolutePath(), e);
        }
        if (cases.isEmpty()) throw new AssertionFailedError("no golden case folders in " + dir.toAbsolutePath());
        return cases;
    }

    /** One case folder. Every file in it must be read by the test: a misspelt {@code setings.json} fails the case. */
    public static final class Case {
        private final Path dir;
        private final Set<String> read = new LinkedHashSet<>();

        Case(Path dir) {
            this.dir = dir;
        }

        public String name() {
            return dir.getFileName().toString();
        }

        public Path dir() {
            return dir;
        }

        /** {@code in.json}: the input event. */
        public JsonNode in() {
            return json("in.json");
        }

        /** A file of the case that must exist. */
        public JsonNode json(String file) {
            read.add(file);
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) throw new AssertionFailedError("golden case " + name() + " has no " + file);
            return parse(p);
        }

        /** A file of the case that may be missing: then {@code absent} (e.g. {@code "{}"}) stands for it. */
        public JsonNode json(String file, String absent) {
            read.add(file);
            Path p = dir.resolve(file);
            try {
                return Files.isRegularFile(p) ? parse(p) : MAPPER.readTree(absent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void check(Mapping mapping) throws Exception {
            JsonNode actual = mapping.apply(this);
            if (actual == null) throw new AssertionFailedError("golden case " + name() + ": the mapping returned null");
            read.add("out.json");
            Path out = dir.resolve("out.json");
            boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
            Set<String> unread = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(f -> !read.contains(f)).forEach(unread::add);
            }
            if (!unread.isEmpty()) throw new AssertionFailedError("golden case " + name() + ": files the test never reads: " + unread);
            if (!Files.isRegularFile(out)) {
                if (update) write(out, actual, "had no out.json: ");
                throw new AssertionFailedError("golden case " + name() + " has no out.json (-D" + UPDATE_PROPERTY + "=true writes it)");
            }
            JsonNode expected = parse(out);
            List<String> differences = diff(expected, actual);
            if (differences.isEmpty()) return;
            String where = "out.json differs at " + differences.size() + " place(s):\n  " + String.join("\n  ", differences);
            if (update) write(out, actual, where + "\n");
            throw new AssertionFailedError("golden case " + name() + ": " + where + "\nexpected (" + dir.resolve("out.json") + "):\n" + pretty(expected)
                    + "\nactual:\n" + pretty(actual) + "\n(-D" + UPDATE_PROPERTY + "=true rewrites out.json: read its diff before keeping it)",
                    pretty(expected), pretty(actual));
        }

        private void write(Path out, JsonNode actual, String why) throws IOException {
            Files.writeString(out, pretty(actual) + "\n", StandardCharsets.UTF_8);
            throw new AssertionFailedError("golden case " + name() + ": " + why + "wrote " + out
                    + " from the actual output; review it with git diff, then run again without -D" + UPDATE_PROPERTY);
        }
    }

    /**
     * Recorded vendor requests as a golden flow's output: {@code [{"method", "path", "query"?, "body"?}]}, the path
     * and query raw (percent-encoded, as sent) and the path below {@code basePath} (the base URL's path, e.g.
     * {@code /api/public}); a JSON body as JSON, any other non-empty body as text. Headers are left out.
     */
    public static ArrayNode requests(List<VendorStub.Recorded> recorded, String basePath) {
        ArrayNode out = MAPPER.createArrayNode();
        for (VendorStub.Recorded r : recorded) {
            ObjectNode o = out.addObject().put("method", r.method());
            if (!r.rawPath().startsWith(basePath)) throw new AssertionFailedError(r.rawPath() + " is not under " + basePath);
            o.put("path", r.rawPath().substring(basePath.length()));
            if (r.rawQuery() != null && !r.rawQuery().isEmpty()) o.put("query", r.rawQuery());
            if (r.body() != null && !r.body().isEmpty()) {
                try {
                    o.set("body", MAPPER.readTree(r.body()));
                } catch (IOException notJson) {
                    o.put("body", r.body());
                }
            }
        }
        return out;
    }

    /** Where two documents differ, as {@code <json pointer>: expected X, was Y}; empty when they are equal. */
    public static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("", expected, actual, out);
        return out;
    }

    private static void diff(String at, JsonNode e, JsonNode a, List<String> out) {
        String where = at.isEmpty() ? "/" : at;
        if (e.isObject() && a.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            e.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = at + "/" + k.replace("~", "~0").replace("/", "~1");
                if (!a.has(k)) out.add(p + ": missing, expected " + compact(e.get(k)));
                else if (!e.has(k)) out.add(p + ": unexpected " + compact(a.get(k)));
                else diff(p, e.get(k), a.get(k), out);
            }
        } else if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) out.add(where + ": expected " + e.size() + " element(s), was " + a.size());
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) diff(at + "/" + i, e.get(i), a.get(i), out);
        } else if (!same(e, a)) {
            boolean kinds = e.isNumber() && a.isNumber() && e.isIntegralNumber() != a.isIntegralNumber();
            out.add(where + ": expected " + compact(e, kinds) + ", was " + compact(a, kinds));
        }
    }

    private static boolean same(JsonNode e, JsonNode a) {
        if (e.isNumber() && a.isNumber()) {
            if (e.isIntegralNumber() != a.isIntegralNumber()) return false;
            return e.isIntegralNumber() ? e.bigIntegerValue().equals(a.bigIntegerValue()) : e.decimalValue().compareTo(a.decimalValue()) == 0;
        }
        return e.equals(a);
    }

    private static String compact(JsonNode n) {
        return compact(n, false);
    }

    private static String compact(JsonNode n, boolean withKind) {
        return withKind ? n + (n.isIntegralNumber() ? " (integral)" : " (floating point)") : n.toString();
    }

    public static String pretty(JsonNode n) {
        try {
            return PRETTY.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(Path p) {
        try {
            return MAPPER.readTree(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
