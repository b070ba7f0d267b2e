package dev.destinations.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.testkit.AwsEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/test's LocalStack pass runs the tests tagged {@link AwsEndpoint#TAG}: a test that reaches an AWS endpoint
 * without the tag would silently run on moto_server only. This finds every test source that starts one.
 */
class AwsTestsAreTaggedTest {
    // what starts or reaches an AWS endpoint in this repository's tests
    static final Pattern REACHES_AWS = Pattern.compile("MotoServer\\.start\\(|LocalEnvironment\\.start\\(|FunctionEnvironment\\.create\\(|LocalAws\\.start\\(|LocalRun\\.run|FaultRun\\.run|new EventSourcePoller\\(");
    // the LocalStack-only deploy check is the one test that reaches an endpoint on one emulator only, by its tag
    static final Pattern TAGGED = Pattern.compile("@Tag\\((AwsEndpoint\\.TAG|\"" + AwsEndpoint.TAG + "\"|\"localstack-deploy\")\\)");

    @Test
    void everyTestThatReachesAnAwsEndpoint_isTaggedForBothEmulators() throws IOException {
        Path root = Path.of("..", "..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith("Test.java") && p.toString().contains("/src/test/java/") && !p.toString().contains("/target/"))
                    .toList();
        }
        assertThat(sources).hasSizeGreaterThan(20);

        List<String> untagged = sources.stream().filter(p -> {
            String text = read(p);
            return REACHES_AWS.matcher(text).find() && !TAGGED.matcher(text).find();
        }).map(p -> root.relativize(p).toString()).toList();

        assertThat(untagged).as("tests that reach an AWS endpoint without @Tag(AwsEndpoint.TAG)").isEmpty();
    }

    @Test
    void thePatterns_seeWhatTheyLookFor() {
        assertThat(REACHES_AWS.matcher("aws = MotoServer.start();").find()).isTrue();
        assertThat(TAGGED.matcher("@Tag(AwsEndpoint.TAG)\nclass X {}").find()).isTrue();
        assertThat(TAGGED.matcher("@Tag(\"slow\")").find()).isFalse();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
