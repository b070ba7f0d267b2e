package dev.destinations.tools;

import static dev.destinations.tools.TemplateInvariants.getAttTarget;
import static dev.destinations.tools.TemplateInvariants.list;
import static dev.destinations.tools.TemplateInvariants.map;
import static dev.destinations.tools.TemplateInvariants.refTarget;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in what SAM deploys: template.yaml as the SAM transform (aws-sam-translator, the transform
 * CloudFormation runs on `sam deploy`) turns it into CloudFormation, where the managed policies SAM attaches become
 * visible. Every IAM role there must be a function's own role and pass {@link TemplateInvariants#roleViolations}.
 * The transform runs under CS_TOOLS_PYTHON (bin/test sets it to the pinned SAM CLI's virtualenv), else python3.
 */
class TransformedTemplateTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRoleOfTheDeployedTemplate_isAFunctionsOwn_andGrantsOnlyItsOwnResources() throws Exception {
        Map<String, Object> cfn = transform(TemplateInvariants.load(TemplateInvariantsTest.TEMPLATE));

        Map<String, List<String>> violations = roleViolations(cfn);

        assertThat(violations).isNotEmpty();
        assertThat(violations).allSatisfy((function, v) -> assertThat(v).as(function).isEmpty());
    }

    @Test
    void aFunctionGrantedWithPolicies_getsSamsManagedSqsPolicy_andIsReported() throws Exception {
        Map<String, Object> template = TemplateInvariants.load(TemplateInvariantsTest.TEMPLATE);
        String function = new TemplateInvariants(template, TemplateInvariantsTest.ROOT).functionIds().getFirst();
        Map<String, Object> props = map(map(map(template.get("Resources")).get(function)).get("Properties"));
        String role = getAttTarget(props.remove("Role"), "Arn");
        // what the template had before it gave each function its own role: inline statements under Policies
        Map<String, Object> roleProps = map(map(map(template.get("Resources")).get(role)).get("Properties"));
        Object statements = map(map(list(roleProps.get("Policies")).getFirst()).get("PolicyDocument")).get("Statement");
        props.put("Policies", List.of(Map.of("Statement", statements)));
        map(template.get("Resources")).remove(role);

        Map<String, Object> cfn = transform(template);
        List<String> v = roleViolations(cfn).get(function);

        assertThat(v).anySatisfy(s -> assertThat(s).contains("has managed policy").contains("AWSLambdaSQSQueueExecutionRole"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("AWSLambdaBasicExecutionRole"));
    }

    /** Each function's role violations, plus any role no function uses (under "(unused roles)"). */
    static Map<String, List<String>> roleViolations(Map<String, Object> cfn) {
        Map<String, Object> resources = map(cfn.get("Resources"));
        Map<String, List<String>> out = new LinkedHashMap<>();
        Set<String> usedRoles = new LinkedHashSet<>();
        resources.forEach((id, r) -> {
            if (!"AWS::Lambda::Function".equals(map(r).get("Type"))) return;
            List<String> v = new ArrayList<>();
            Map<String, Object> props = map(map(r).get("Properties"));
            String role = getAttTarget(props.get("Role"), "Arn");
            if (role == null || !TemplateInvariants.ROLE_TYPE.equals(map(resources.get(role)).get("Type"))) {
                v.add("Role " + props.get("Role") + " is not a role of this template");
            } else {
                usedRoles.add(role);
                Set<String> queues = new LinkedHashSet<>();
                Set<String> dlqs = new LinkedHashSet<>();
                resources.values().stream().map(TemplateInvariants::map)
                        .filter(m -> "AWS::Lambda::EventSourceMapping".equals(m.get("Type")))
                        .map(m -> map(m.get("Properties")))
                        .filter(p -> id.equals(refTarget(p.get("FunctionName"))) || id.equals(aliasFunction(resources, p.get("FunctionName"))))
                        .forEach(p -> queues.add(getAttTarget(p.get("EventSourceArn"), "Arn")));
                for (String q : queues) {
                    String dlq = getAttTarget(map(map(map(resources.get(q)).get("Properties")).get("RedrivePolicy")).get("deadLetterTargetArn"), "Arn");
                    if (dlq != null) dlqs.add(dlq);
                }
                Object secret = map(map(props.get("Environment")).get("Variables")).get("API_KEY_SECRET_ID");
                String logGroup = refTarget(map(props.get("LoggingConfig")).get("LogGroup"));
                Map<String, Object> env = map(map(props.get("Environment")).get("Variables"));
                TemplateInvariants.roleViolations(v, role, map(resources.get(role)), new TemplateInvariants.FunctionResources(queues, dlqs, secret, logGroup,
                        resources.keySet().stream().filter(t -> TemplateInvariants.TABLE_TYPE.equals(map(resources.get(t)).get("Type"))).collect(java.util.stream.Collectors.toSet()),
                        refTarget(TemplateInvariants.chosen(env.get("SUPPRESSION_TABLE"))), TemplateInvariants.chosen(env.get("ERASURE_KEY_SECRET_ID")),
                        resources.keySet().stream().filter(t -> TemplateInvariants.BUCKET_TYPE.equals(map(resources.get(t)).get("Type"))).collect(java.util.stream.Collectors.toSet()),
                        TemplateInvariants.slug(id)));
            }
            out.put(id, v);
        });
        List<String> unused = new ArrayList<>();
        resources.forEach((id, r) -> {
            if (TemplateInvariants.ROLE_TYPE.equals(map(r).get("Type")) && !usedRoles.contains(id)) unused.add("role " + id + " belongs to no function");
        });
        if (!unused.isEmpty()) out.put("(unused roles)", unused);
        return out;
    }

    /** An event source mapping calls the function through its alias: {@code Ref <Function>Aliaslive}. */
    private static String aliasFunction(Map<String, Object> resources, Object functionName) {
        String alias = refTarget(functionName);
        if (alias == null || !"AWS::Lambda::Alias".equals(map(resources.get(alias)).get("Type"))) return null;
        return refTarget(map(map(resources.get(alias)).get("Properties")).get("FunctionName"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> transform(Map<String, Object> template) throws IOException, InterruptedException {
        Path in = Files.createTempFile("template", ".json");
        Files.writeString(in, JSON.writeValueAsString(template));
        String python = System.getenv().getOrDefault("CS_TOOLS_PYTHON", "python3");
        Process p = new ProcessBuilder(python, Path.of("src/test/resources/sam-transform.py").toString(), in.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the SAM transform (%s with aws-sam-translator) failed:%n%s", python, err).isZero();
        return JSON.readValue(out, Map.class);
    }
}
