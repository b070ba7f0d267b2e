package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.tools.local.SamTemplate;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every destination must bring, checked for each function the tools find (its descriptor, by ServiceLoader), so
 * that a new destination (bin/new-destination) either passes every cross-function test or fails here first, with
 * the file to add or fix named in the message. docs/architecture.md "Adding a destination" is the prose of this test.
 *
 * <ul>
 *   <li>the descriptor: one per module under functions/, its logical id a function of template.yaml, its fields;</li>
 *   <li>template.yaml: the loop's Mappings entry (slug, handler, the filter policy of exactly {@code handledTypes()}),
 *       the per-destination parameters every other destination has, its own EventsRule (from the loop), sam/&lt;Name&gt;/Makefile,
 *       the root pom's module and tools/common's dependency;</li>
 *   <li>events/&lt;slug&gt;/: SQS events whose md5OfBody is their body's (bin/events writes them from plain bodies), an
 *       env.json, a malformed body, a batch body, a bare event of every handled type;</li>
 *   <li>no list of destinations outside functions/ and events/: no tool or test names three destinations.</li>
 * </ul>
 */
class DestinationContractTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    /** The spec types a destination may handle that a sample event in events/&lt;slug&gt;/ must show. */
    static final List<EventType> SAMPLED = List.of(EventType.IDENTIFY, EventType.TRACK, EventType.PAGE, EventType.GROUP);
    static SamTemplate template;

    @BeforeAll
    static void load() throws IOException {
        template = SamTemplate.load(ROOT.resolve("template.yaml"));
    }

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    /** The template's name of a function: its logical id without "Function" (the loop's value, sam/&lt;Name&gt;). */
    static String name(Functions.Spec f) {
        return f.logicalId().replaceFirst("Function$", "");
    }

    @Test
    void everyFunctionModule_declaresOneDescriptor_andTheTemplateHasEveryFunction() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT.resolve("functions"))) {
            assertThat(Functions.ALL).extracting(Functions.Spec::slug).as("functions/<slug> modules with a descriptor in "
                    + "src/main/resources/META-INF/services/dev.destinations.lambda.FunctionDescriptor").containsExactlyInAnyOrderElementsOf(
                    modules.filter(m -> Files.exists(m.resolve("pom.xml"))).map(m -> m.getFileName().toString()).toList());
        }
        assertThat(Functions.ALL).extracting(Functions.Spec::logicalId).as("template.yaml's functions (the &destinations list)")
                .containsExactlyInAnyOrderElementsOf(template.functionIds());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theDescriptor(Functions.Spec f) throws Exception {
        String where = "functions/" + f.slug() + "/src/main/java/.../" + name(f) + "Descriptor.java: ";
        assertThat(f.slug()).as(where + "the slug (Destination.slug()) is lower-case kebab").matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
        assertThat(f.logicalId()).as(where + "the logical id is <Name>Function").matches("[A-Z][A-Za-z0-9]*Function");
        assertThat(f.destination().handledTypes()).as(where + "handledTypes()").isNotEmpty();
        assertThat(f.destination().integrationNames()).as(where + "integrationNames()").isNotEmpty();
        assertThat(f.referenceBaseUrl(Json.parse(f.sampleSettings()))).as(where + "the sample settings are usable (a base URL)").isPresent();
        assertThat(dev.destinations.delivery.UnknownSettingsKeys.warnings(Json.parse(f.sampleSettings()), f.destination().settingsKeys()))
                .as(where + "every sample settings key is one the destination reads (its <Name>Settings.KEYS, D47)").isEmpty();
        String handler = String.valueOf(template.functionProperty(f.logicalId(), "Handler")).replaceFirst("::.*", "");
        assertThat(Class.forName(handler).getPackageName()).as("template.yaml Mappings.Destinations.%s.Handler is in the module's package", name(f))
                .isEqualTo(f.destination().getClass().getPackageName());
        Path cases = ROOT.resolveSibling("shared").resolve("conformance").resolve(f.caseName() + ".json");
        if (!f.caseName().equals(f.slug())) {
            assertThat(cases).as(where + "caseName() differs from the slug only for a destination with reference cases").exists();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theTemplate(Functions.Spec f) throws IOException {
        String name = name(f);
        Map<String, Object> entry = SamTemplate.map(SamTemplate.map(SamTemplate.map(template.raw().get("Mappings")).get("Destinations")).get(name));
        assertThat(entry).as("template.yaml Mappings.Destinations.%s", name).containsKeys("Slug", "Title", "Handler", "Types");
        assertThat(entry.get("Slug")).as("template.yaml Mappings.Destinations.%s.Slug", name).isEqualTo(f.slug());
        Set<String> filtered = new TreeSet<>();
        for (Object t : (List<Object>) entry.get("Types")) filtered.add(String.valueOf(t).toLowerCase(Locale.ROOT));
        Set<String> handled = java.util.stream.Stream.concat(f.destination().handledTypes().stream(), dev.destinations.delivery.Erasure.EVERY_DESTINATION.stream())
                .map(t -> t.wireName().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new)); // the erasure messages: every destination takes them (D64)
        assertThat(filtered).as("template.yaml Mappings.Destinations.%s.Types (the SNS filter's): the types of handledTypes()", name).isEqualTo(handled);

        Map<String, Object> parameters = SamTemplate.map(template.raw().get("Parameters"));
        Set<String> suffixes = perDestinationParameters(parameters);
        assertThat(suffixes).as("per-destination parameters").isNotEmpty();
        for (String suffix : suffixes) assertThat(parameters).as("template.yaml Parameters: %s%s, as every destination has", name, suffix).containsKey(name + suffix);

        List<Object> targets = (List<Object>) SamTemplate.map(template.properties(name + "EventsRule")).getOrDefault("Targets", List.of());
        assertThat(targets).as("template.yaml %sEventsRule (the loop's, with %s in the loop's list) Targets: its own queue", name, name)
                .singleElement().satisfies(t -> {
                    assertThat(template.resolve(SamTemplate.map(t).get("Id"), null, Map.of())).isEqualTo(f.slug());
                    assertThat(SamTemplate.target(SamTemplate.map(t).get("Arn"))).isEqualTo(name + "Queue");
                });

        Path makefile = ROOT.resolve("sam").resolve(name).resolve("Makefile");
        assertThat(makefile).as("sam/%s/Makefile", name).exists();
        assertThat(Files.readString(makefile)).as("sam/%s/Makefile names its module", name).containsPattern("MODULE\\s*:?=\\s*" + Pattern.quote(f.slug()) + "\\s");
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).as("pom.xml <modules>").contains("<module>functions/" + f.slug() + "</module>");
        assertThat(Files.readString(ROOT.resolve("tools/common/pom.xml"))).as("tools/common/pom.xml <dependencies>")
                .contains("<artifactId>" + f.slug() + "</artifactId>");
    }

    /** The suffixes of the parameters that every function's name starts (Settings, ApiKeySecretArn, ...). */
    static Set<String> perDestinationParameters(Map<String, Object> parameters) {
        Set<String> common = null;
        for (Functions.Spec f : Functions.ALL) {
            Set<String> own = parameters.keySet().stream().filter(p -> p.startsWith(name(f)) && p.length() > name(f).length()
                    && Character.isUpperCase(p.charAt(name(f).length()))).map(p -> p.substring(name(f).length())).collect(Collectors.toSet());
            if (common == null) common = new TreeSet<>(own);
            else common.addAll(own);
        }
        return common == null ? Set.of() : common;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theEventsFolder(Functions.Spec f) throws Exception {
        Path dir = ROOT.resolve("events").resolve(f.slug());
        String where = "events/" + f.slug() + "/";
        assertThat(dir).as(where + " (bin/new-destination writes it; bin/events turns plain bodies into SQS events)").isDirectory();
        List<String> problems = new ArrayList<>();

        Path env = dir.resolve("env.json");
        JsonNode settings = null;
        if (!Files.exists(env)) problems.add(where + "env.json: missing ({\"" + f.logicalId() + "\": {\"DESTINATION_SETTINGS\": \"...\"}})");
        else {
            JsonNode vars = Json.mapper().readTree(env.toFile()).path(f.logicalId());
            if (!vars.path("DESTINATION_SETTINGS").isTextual()) problems.add(where + "env.json: no " + f.logicalId() + ".DESTINATION_SETTINGS text");
            else settings = Json.parse(vars.path("DESTINATION_SETTINGS").asText());
        }
        if (settings != null && f.referenceBaseUrl(settings).isEmpty()) problems.add(where + "env.json: its DESTINATION_SETTINGS are not usable");
        if (settings != null) {
            for (String unknown : dev.destinations.delivery.UnknownSettingsKeys.warnings(settings, f.destination().settingsKeys())) {
                problems.add(where + "env.json: " + unknown + " (add the key to its <Name>Settings.KEYS if the destination reads it)");
            }
        }

        Map<EventType, String> bare = new TreeMap<>();
        boolean malformed = false;
        int batchEvents = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("env.json")) continue;
                if (!name.endsWith(".json") || Files.isDirectory(file)) {
                    problems.add(where + name + ": only SQS events (*.json) and env.json belong here");
                    continue;
                }
                JsonNode records = Json.mapper().readTree(file.toFile()).path("Records");
                if (!records.isArray() || records.isEmpty()) {
                    problems.add(where + name + ": not an SQS event ({\"Records\": [...]}); write the plain body and run bin/events " + f.slug());
                    continue;
                }
                for (JsonNode r : records) {
                    String body = r.path("body").asText();
                    if (!r.path("md5OfBody").asText().equals(md5(body))) {
                        problems.add(where + name + ": md5OfBody is not its body's; run bin/events " + f.slug());
                    }
                    JsonNode event;
                    try {
                        event = Json.parse(body);
                    } catch (IOException notJson) {
                        malformed = true;
                        continue;
                    }
                    if (event.path("batch").isArray()) batchEvents = Math.max(batchEvents, event.path("batch").size());
                    EventType type = event.isObject() && event.path("type").isTextual() ? EventType.of(event.path("type").asText()) : null;
                    if (type != null) bare.putIfAbsent(type, name);
                }
            }
        }
        if (!malformed) problems.add(where + "malformed.json: missing, a body that is not JSON (the invalid_event path)");
        if (batchEvents < 3) problems.add(where + "batch.json: missing, a {\"batch\": [...]} body of at least 3 events (D19)");
        for (EventType t : SAMPLED) {
            if (f.handles(t) && !bare.containsKey(t)) problems.add(where + t.wireName() + ".json: missing, a bare " + t.wireName() + " event (a type the destination handles)");
        }
        for (EventType t : bare.keySet()) {
            if (!f.handles(t) && t != EventType.USER_DELETION) problems.add(where + bare.get(t) + ": a " + t.wireName() + " event, a type the destination does not handle");
        }
        if (bare.size() < 3 && bare.size() < f.destination().handledTypes().size()) problems.add(where + ": at least 3 bare events that call the vendor");
        assertThat(problems).as("events/%s/", f.slug()).isEmpty();
    }

    static String md5(String body) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }

    /**
     * No hidden list: outside functions/ and events/ no source names three destinations (a list, a map of settings,
     * a switch per destination); a test may name one or two as its examples. Everything else takes the functions, their
     * settings and their types from the descriptors ({@link Functions}).
     */
    @Test
    void noToolOrTestKeepsAListOfDestinations() throws IOException {
        int list = Math.min(3, Functions.ALL.size());
        List<String> found = new ArrayList<>();
        List<Path> roots = List.of(ROOT.resolve("tools"), ROOT.resolve("shared"), ROOT.resolve("bin"), ROOT.resolve(".ci"));
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(DestinationContractTest::isSource).toList()) {
                    Set<String> named = named(Files.readString(file));
                    if (named.size() >= list) found.add(ROOT.relativize(file) + " names " + named);
                }
            }
        }
        assertThat(found).as("sources that keep a list of destinations: take Functions.ALL and the descriptors instead").isEmpty();
    }

    static boolean isSource(Path file) {
        String s = file.toString();
        return !s.contains("/target/") && !s.contains("/node_modules/") && (s.endsWith(".java") || s.endsWith(".py") || s.endsWith(".sh")
                || s.contains("/bin/") && !s.contains("."));
    }

    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** The destinations whose slug, case name or template name a string literal of the source names. */
    static Set<String> named(String source) {
        Set<String> named = new TreeSet<>();
        Matcher m = LITERAL.matcher(source);
        while (m.find()) {
            String literal = m.group(1);
            for (Functions.Spec f : Functions.ALL) {
                if (literal.equals(f.slug()) || literal.equals(f.caseName()) || literal.contains(f.logicalId())
                        || literal.matches(".*(^|/)" + Pattern.quote(f.slug()) + "(/.*|$)")
                        || literal.matches(".*(^|[^A-Za-z])" + Pattern.quote(name(f)) + "(Queue|Dlq|[^A-Za-z].*|$)")) {
                    named.add(f.slug());
                }
            }
        }
        return named;
    }
}
