package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.tools.local.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The functions the tools find (each module's descriptor, by ServiceLoader) are the functions there are: one per
 * module folder under functions/ and per function of template.yaml. A module without its META-INF/services entry
 * would otherwise be silently left out of every tool and product test.
 */
class FunctionDescriptorsTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    @Test
    void everyFunctionModule_declaresOneDescriptor_andNothingElseDoes() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT.resolve("functions"))) {
            assertThat(Functions.ALL).extracting(Functions.Spec::slug).containsExactlyInAnyOrderElementsOf(
                    modules.filter(m -> Files.exists(m.resolve("pom.xml"))).map(m -> m.getFileName().toString()).toList());
        }
    }

    @Test
    void theDescriptors_nameTheTemplatesFunctions_andTheirHandlers() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));

        assertThat(Functions.ALL).extracting(Functions.Spec::logicalId).containsExactlyInAnyOrderElementsOf(template.functionIds());
        for (Functions.Spec f : Functions.ALL) {
            String handler = String.valueOf(template.functionProperty(f.logicalId(), "Handler")).replaceFirst("::.*", "");
            assertThat(Class.forName(handler).getPackageName()).as("%s's handler is in its own module's package", f)
                    .isEqualTo(f.destination().getClass().getPackageName());
            assertThat(f.referenceBaseUrl(dev.destinations.mapping.Json.parse(f.sampleSettings())))
                    .as("%s's sample settings are usable", f).isPresent();
        }
    }
}
