package dev.destinations.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the readers of template.yaml get from SamTemplate where the template is written once for every destination. */
class SamTemplateTest {
    static final Path TEMPLATE = Path.of("..", "..", "template.yaml"); // tools/local is the working directory
    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:/s/destinations/custify/api-key-AbCdEf";
    static final String GIVEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/custify-XyZ123";

    @Test
    void theSecretExpression_isTheGivenArn_elseTheStacksOwnSecret() throws IOException {
        SamTemplate t = SamTemplate.load(TEMPLATE);
        Object secret = t.properties("CustifyFunction").get("Environment") instanceof Map<?, ?> env
                ? SamTemplate.map(env.get("Variables")).get("API_KEY_SECRET_ID") : null;

        assertThat(t.resolve(secret, null, Map.of("CustifyApiKeySecret", SECRET_ARN))).isEqualTo(SECRET_ARN);
        assertThat(t.resolve(secret, null, Map.of("CustifyApiKeySecret", SECRET_ARN, "CustifyApiKeySecretArn", GIVEN_ARN))).isEqualTo(GIVEN_ARN);
        assertThat(t.resolve(secret, "<unresolved>")).as("without the stack's secret").isEqualTo("<unresolved>");
    }

    @Test
    void theLoopsValues_comeFromTheMappings() throws IOException {
        SamTemplate t = SamTemplate.load(TEMPLATE);

        assertThat(t.functionProperty("UserComFunction", "Handler")).isEqualTo("dev.destinations.usercom.UserComHandler::handleRequest");
        assertThat(t.resolve(t.properties("UserComQueue").get("QueueName"), null, Map.of("AWS::StackName", "s"))).isEqualTo("s-user-com");
        assertThat(t.resolve(t.properties("UserComDlq").get("QueueName"), null, Map.of("AWS::StackName", "s"))).isEqualTo("s-user-com-dlq");
        assertThat(t.raw().get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
    }

    @Test
    void expand_writesTheExpandedTemplateAsJson(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("expanded.json");
        SamTemplate.main(new String[] {"expand", TEMPLATE.toString(), out.toString()});

        var json = dev.destinations.mapping.Json.mapper().readTree(out.toFile());
        assertThat(json.path("Resources").has("CustifyFunction")).isTrue();
        assertThat(json.path("Resources").properties().stream().noneMatch(e -> e.getKey().startsWith("Fn::ForEach"))).isTrue();
        assertThat(json.path("Resources").path("UserComFunction").path("Properties").path("CodeUri").asText()).isEqualTo("sam/UserCom");
    }
}
