package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/new-destination Acme acme} in a copy of this repository (the files git tracks or would track), then
 * what a new destination can break, built in the copy against the modules this build installed (Maven offline): the
 * new module's own tests (golden, golden flow, handler), and every cross-function test that takes its functions
 * from the descriptors: DestinationContractTest, TemplateInvariantsTest, HostileInputTest, AnonymousTrafficTest,
 * EnvelopeEquivalenceTest, NoSecretsInLogsTest, PrimingTest, RandomEventPropertyTest, and tools/local's DryRunTest.
 * About 2 minutes on 2 cores. The scaffold touches nothing outside its folders but pom.xml, tools/common/pom.xml and
 * template.yaml.
 */
class NewDestinationTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    static final String TESTS = "Acme*Test,DestinationContractTest,TemplateInvariantsTest,HostileInputTest,AnonymousTrafficTest,"
            + "EnvelopeEquivalenceTest,NoSecretsInLogsTest,PrimingTest,RandomEventPropertyTest,DryRunTest";

    @Test
    void aScaffoldedDestination_buildsAndPassesTheCrossFunctionTests(@TempDir Path copy) throws Exception {
        for (String file : run(ROOT, List.of("git", "ls-files", "-co", "--exclude-standard")).lines().toList()) {
            Path from = ROOT.resolve(file);
            if (!Files.isRegularFile(from)) continue; // deleted in the working tree
            Path to = copy.resolve(file);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        run(copy, List.of("git", "init", "-q"));
        run(copy, List.of("git", "add", "-A"));
        run(copy, List.of("git", "-c", "user.name=scaffold-test", "-c", "user.email=scaffold-test@localhost", "commit", "-q", "-m", "the repository"));

        String printed = run(copy, List.of("bin/new-destination", "Acme", "acme"));

        assertThat(printed).contains("Left to write").contains("AcmeDestination.java");
        List<String> outside = run(copy, List.of("git", "status", "--porcelain", "--untracked-files=all")).lines()
                .map(l -> l.substring(3)).filter(f -> !f.startsWith("functions/acme/") && !f.startsWith("events/acme/") && !f.startsWith("sam/Acme/")).toList();
        assertThat(outside).as("files the scaffold touched outside its folders").containsExactlyInAnyOrder("pom.xml", "template.yaml", "tools/common/pom.xml");

        run(copy, List.of("mvn", "-B", "-o", "-q", "verify", "-pl", "functions/acme,tools/common,tools/local,tools/product-tests",
                "-Dtest=" + TESTS, "-Dsurefire.failIfNoSpecifiedTests=false", "-Dgolden.update=false"));

        // each parameterized cross-function test ran once more than here: for the new function too
        int functions = Functions.ALL.size() + 1;
        assertThat(report(copy, "functions/acme", "dev.destinations.acme.AcmeHandlerTest")).contains("failures=\"0\"");
        assertThat(report(copy, "functions/acme", "dev.destinations.acme.AcmeMappingTest")).contains("failures=\"0\"");
        for (String test : List.of("HostileInputTest", "PrimingTest", "RandomEventPropertyTest", "NoSecretsInLogsTest", "local.EnvelopeEquivalenceTest")) {
            assertThat(report(copy, "tools/product-tests", "dev.destinations.tools." + test)).as(test).contains("tests=\"" + functions + "\"");
        }
        assertThat(report(copy, "tools/product-tests", "dev.destinations.tools.DestinationContractTest")).contains("theEventsFolder(Spec)[" + functions + "]");
        assertThat(report(copy, "tools/local", "dev.destinations.tools.local.DryRunTest")).contains("failures=\"0\"").contains("errors=\"0\"");
    }

    static String report(Path copy, String module, String test) throws IOException {
        return Files.readString(copy.resolve(module).resolve("target/surefire-reports/TEST-" + test + ".xml"));
    }

    /** Runs a command in {@code dir}; its output, or an assertion failure with it. */
    static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s in %s:%n%s", command, dir, text.length() > 20_000 ? text.substring(text.length() - 20_000) : text).isZero();
        return text;
    }
}
