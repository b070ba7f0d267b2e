package dev.destinations.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void binExpandTemplate_writesTheExpandedTemplateAsJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("expanded.json");
        run(List.of(ROOT.resolve("bin/expand-template").toString(), TEMPLATE.toString(), out.toString()));

        var json = dev.destinations.mapping.Json.mapper().readTree(out.toFile());
        assertThat(json.path("Resources").has("CustifyFunction")).isTrue();
        assertThat(json.path("Resources").properties().stream().noneMatch(e -> e.getKey().startsWith("Fn::ForEach"))).isTrue();
        assertThat(json.path("Resources").path("UserComFunction").path("Properties").path("CodeUri").asText()).isEqualTo("sam/UserCom");
        assertThat(json.path("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
    }

    /**
     * Where the SAM CLI processor's whole pipeline (as {@code sam build} runs it, {@code --as-sam-cli}) falls short for
     * a template still to be deployed, and so why bin/expand-template runs only its parsing and Fn::ForEach processors
     * and evaluates the loops' FindInMap and literal Fn::Sub itself: it bakes parameter defaults in, turns an Fn::Sub of
     * a pseudo parameter into plain text and an Fn::Join of references it cannot resolve into their empty text. If a
     * SAM CLI upgrade makes this test fail, its pipeline may serve whole: drop expand_template.py's simplify().
     */
    @Test
    void theProcessorsWholePipeline_resolvesTooMuchForADeploy_theLoopExpansionAlone_keepsItForCloudFormation() throws Exception {
        var whole = dev.destinations.mapping.Json.mapper().readTree(run(List.of(ROOT.resolve("bin/expand-template").toString(), "--as-sam-cli", TEMPLATE.toString())));
        var env = whole.path("Resources").path("CustifyFunction").path("Properties").path("Environment").path("Variables");
        assertThat(env.path("DESTINATION_SETTINGS").asText()).as("a parameter's default baked in").isEqualTo("{}");
        assertThat(env.path("API_KEY_SECRET_ID").asText()).as("the secret's references dropped").isEqualTo("arn:");
        assertThat(whole.path("Resources").path("Dashboard").path("Properties").path("DashboardName").asText())
                .as("the Fn::Sub of ${AWS::StackName} lost").isEqualTo("${AWS::StackName}-destinations");

        SamTemplate t = SamTemplate.load(TEMPLATE);
        Map<String, Object> own = SamTemplate.map(SamTemplate.map(t.properties("CustifyFunction").get("Environment")).get("Variables"));
        assertThat(own.get("DESTINATION_SETTINGS")).isEqualTo(Map.of("Ref", "CustifySettings"));
        assertThat(String.valueOf(own.get("API_KEY_SECRET_ID"))).contains("CustifyApiKeySecretArn").contains("CustifyApiKeySecret}");
        assertThat(t.properties("Dashboard").get("DashboardName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-destinations"));
    }

    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
        return out;
    }
}
