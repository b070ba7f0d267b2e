package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bin/ commands as a user runs them: from the repository root, as processes, with the build this Maven run has
 * just made (CS_SKIP_BUILD=1, so a script does not start a Maven build of its own inside this one).
 */
class BinCommandsTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    record Run(int exit, String output) {}

    static Stream<String> commands() throws IOException {
        try (Stream<Path> bin = Files.list(ROOT.resolve("bin"))) {
            return bin.filter(Files::isExecutable).filter(p -> !p.toString().endsWith(".sh")).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "bin/{0} --help")
    @MethodSource("commands")
    void everyCommand_answersHelpWithItsUsage_andDoesNothingElse(String command) throws Exception {
        Run run = run(Map.of(), "bin/" + command, "--help");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("bin/" + command).doesNotContain("Exception").doesNotContain("building");
    }

    @Test
    void theReadmesInvokeCommand_runsAsWritten_fromTheRepositoryRoot() throws Exception {
        String line = Files.readAllLines(ROOT.resolve("README.md")).stream().map(String::strip)
                .filter(l -> l.startsWith("bin/local invoke CustifyFunction -e events/custify/identify.json") && !l.contains("[")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no `bin/local invoke CustifyFunction ...` line"));
        String command = line.contains("#") ? line.substring(0, line.indexOf('#')).strip() : line;
        // as after a fresh package: the zip is unpacked again (the unpacked copy is reused while it is newer than the zip)
        try (Stream<Path> modules = Files.list(ROOT.resolve("functions"))) {
            for (Path module : modules.toList()) delete(module.resolve("target/lambda-task-root"));
        }

        Run run = run(Map.of(), "bash", "-c", command);

        assertThat(run.exit()).as(command + "\n" + run.output()).isZero();
        assertThat(run.output()).contains("\"outcome\":\"delivered\"").contains("\"batchItemFailures\":[]");
    }

    @Test
    @Tag(AwsEndpoint.TAG)
    void localRun_withAwsEndpointUrl_needsNoMotoServer_andSaysWhichEndpointItUses() throws Exception {
        try (MotoServer aws = MotoServer.start()) {
            // a PATH without moto_server (it lives in a Python environment, not in /usr/bin or /bin)
            Run run = run(Map.of("AWS_ENDPOINT_URL", aws.endpoint().toString(), "PATH", "/usr/bin:/bin"), "bin/local-run");

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("AWS endpoint " + aws.endpoint() + " (AWS_ENDPOINT_URL, not started here)")
                    .doesNotContain("moto_server, started here").doesNotContain("moto_server is needed");
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        File out = Files.createTempFile("bin", ".out").toFile();
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out);
        pb.environment().put("CS_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
    }
}
