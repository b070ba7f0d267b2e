package dev.destinations.tools.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.testkit.VendorStubExtension;
import dev.destinations.tools.FunctionZip;
import dev.destinations.tools.Functions;
import dev.destinations.tools.local.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the cold-start decisions of docs/performance.md from quietly coming undone, without timing anything: a
 * fresh JVM on each function's deployment zip processes a first batch of one message (the vendor stub is in this
 * JVM, another process), and the classes it loaded are read from -Xlog:class+load. The classes that each decision
 * avoids must not be there, and the total must stay within a budget (3,9xx today).
 */
class ColdStartBudgetTest {
    /** Loaded classes allowed for a first batch; the drop from 5,100 came from the decisions below. */
    static final int CLASS_BUDGET = 4_400;

    /** Classes a first, delivered batch must not load, each with the decision that keeps it out. */
    static final List<String[]> AVOIDED = List.of(
            new String[] {"com.fasterxml.jackson.databind.ObjectMapper", "JSON through jackson-core's streaming API (Json)"},
            new String[] {"jdk.internal.net.http.HttpClientImpl", "vendor calls through HttpURLConnection (VendorHttp)"},
            new String[] {"software.amazon.awssdk.services.sqs.DefaultSqsClient", "the SQS client built on first park (DeferredSqsClient)"},
            new String[] {"org.apache.http.impl.client.CloseableHttpClient", "the SDK's url-connection client, not Apache's"},
            new String[] {"dev.destinations.lambda.FunctionDescriptor", "the descriptor is for the tools (ServiceLoader); the handler names its destination"});

    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    @ParameterizedTest
    @MethodSource("slugs")
    void firstBatch_staysWithinTheClassBudget_andLoadsNoneOfTheAvoidedLibraries(String slug, @TempDir Path work) throws Exception {
        Path repo = Path.of("..", "..", "..").toAbsolutePath().normalize();
        Functions.Spec function = Functions.named(slug);
        Path code = FunctionZip.unzip(repo.resolve("functions/" + slug + "/target/" + slug + ".zip"), work.resolve("fn"));
        Path probe = work.resolve("probe");
        Files.createDirectories(probe);
        String jars; // the compiler API does not expand lib/* as the launchers do
        try (var list = Files.list(code.resolve("lib"))) {
            jars = list.map(Path::toString).collect(java.util.stream.Collectors.joining(":"));
        }
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", probe.toString(),
                "-cp", code + ":" + jars, repo.resolve("tools/perf/probes/fresh-jvm/FirstBatchProbe.java").toString());
        assertThat(compiled).as("tools/perf/probes/fresh-jvm/FirstBatchProbe.java compiles").isZero();

        String handler = String.valueOf(SamTemplate.load(repo.resolve("template.yaml")).functionProperty(function.logicalId(), "Handler"))
                .replaceFirst("::.*", "");
        String body = dev.destinations.mapping.Json.parse(Files.readString(repo.resolve("events/" + slug + "/identify.json")))
                .path("Records").path(0).path("body").asText();
        Path classLog = work.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classLog,
                "-cp", code + ":" + code.resolve("lib") + "/*:" + probe, "FirstBatchProbe", handler, body));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(java.util.Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "DESTINATION_SETTINGS", function.sampleSettings(), "VENDOR_BASE_URL", stub.baseUrl(), "DLQ_URL", "https://sqs.us-east-1.amazonaws.com/1/dlq"));
        stub.respond(r -> dev.destinations.testkit.VendorStub.Reply.json(200,
                r.method().equals("GET") ? "{\"id\":1,\"user_key\":\"k1\",\"custom_id\":\"c1\"}" : "{}"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("the first batch is delivered:\n" + output).isZero();

        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains("[class,load]"))
                .map(l -> l.replaceFirst(".*\\[class,load\\] (\\S+).*", "$1")).toList();
        for (String[] avoided : AVOIDED) {
            assertThat(loaded).as("%s is loaded; the decision was: %s", avoided[0], avoided[1]).doesNotContain(avoided[0]);
        }
        assertThat(loaded.size()).as("classes loaded by the first batch (budget %d)", CLASS_BUDGET).isLessThan(CLASS_BUDGET);
    }

    /** Every function, found by its descriptor. */
    static java.util.stream.Stream<String> slugs() {
        return Functions.ALL.stream().map(Functions.Spec::slug);
    }
}
