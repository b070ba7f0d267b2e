package dev.destinations.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.tools.local.LocalInvoke;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/local invoke} on real events/ files: the function from template.yaml, its deployment zip, AWS's runtime
 * interface client in a child JVM and the local Runtime API; the response is what Lambda would return.
 */
class LocalInvokeTest {
    static final Path ROOT = Path.of("..", "..");

    @Test
    void identifyEvent_withTheSandbox_isDeliveredAndTheResponseHasNoFailures() throws Exception {
        String event = Files.readString(ROOT.resolve("events/custify/identify.json"));

        LocalInvoke.Invocation result = LocalInvoke.invoke(ROOT, "CustifyFunction", event, null, true);

        assertThat(result.completion().error()).isFalse();
        JsonNode response = Json.parse(result.completion().body());
        assertThat(response.get("batchItemFailures")).isEmpty();
        assertThat(result.logs()).contains("\"outcome\":\"delivered\"").contains("\"function_request_id\":\"")
                .contains("\"message_id\":\"0e1c2b5a-1d1e-4a38-9a1b-000000000001\"");
    }

    @Test
    void malformedEvent_withoutADlq_isReportedAsABatchItemFailure() throws Exception {
        String event = Files.readString(ROOT.resolve("events/custify/malformed.json"));

        LocalInvoke.Invocation result = LocalInvoke.invoke(ROOT, "CustifyFunction", event, null, false);

        JsonNode response = Json.parse(result.completion().body());
        assertThat(response.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText())
                .containsExactly("0e1c2b5a-1d1e-4a38-9a1b-000000000005");
        assertThat(result.logs()).contains("\"reason\":\"parking_failed\"").contains("DLQ_URL is not set");
    }

    @Test
    void envVarsFile_overridesTheTemplateEnvironment_likeSam() throws Exception {
        Path envVars = Files.createTempFile("env", ".json");
        Files.writeString(envVars, "{\"CustifyFunction\":{\"DESTINATION_SETTINGS\":\"{not json\"}}");
        String event = Files.readString(ROOT.resolve("events/custify/track.json"));

        LocalInvoke.Invocation result = LocalInvoke.invoke(ROOT, "CustifyFunction", event, envVars, false);

        assertThat(result.logs()).contains("invalid settings: DESTINATION_SETTINGS is not valid JSON");
        assertThat(Json.parse(result.completion().body()).get("batchItemFailures")).hasSize(1);
    }

    @Test
    void unknownFunction_isRefused() {
        assertThatThrownBy(() -> LocalInvoke.invoke(ROOT, "NoSuchFunction", "{}", null, false))
                .hasMessageContaining("no function NoSuchFunction");
    }
}
