package dev.destinations.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.tools.local.SamTemplate;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the real {@code sam deploy} of template.yaml created in LocalStack, checked resource by resource against the
 * template (bin/test's LocalStack pass deploys the stack with the parameter defaults, then runs this with
 * SAM_DEPLOYED_STACK set). Every value the template sets is compared with what the service reports, with the
 * template's intrinsics resolved against the deployed stack.
 *
 * <p>Not checked, because LocalStack 4.13.1 without Docker does not do it ({@link #NOT_DONE_BY_LOCALSTACK}): each is
 * still compared where LocalStack reports a value, so a LocalStack that starts doing it is checked at once.
 */
@Tag("localstack-deploy")
class LocalStackSamDeployTest {
    static final String STACK = System.getenv("SAM_DEPLOYED_STACK");
    static final List<String> NOT_DONE_BY_LOCALSTACK = List.of(
            "running the functions' code: its Lambda runs no code here (bin/localstack); bin/local invoke runs the same zips under AWS's runtime interface client",
            "SnapStart: the function reports SnapStart.ApplyOn None and no snapshot is taken",
            "log group retention: its CloudFormation creates the log group without RetentionInDays",
            "the archive bucket's lifecycle: its CloudFormation creates the bucket without its LifecycleConfiguration (GetBucketLifecycleConfiguration "
                    + "answers NoSuchLifecycleConfiguration); compared where it reports one, and TemplateInvariants checks the template",
            "the deduplication and erasure tables: LocalStack's DynamoDB downloads DynamoDB Local and a JDK on first use, so bin/test deploys with "
                    + "Deduplication=off and Suppression=off (each table's key, billing, SSE and TTL are compared when a stack has it; TransformedTemplateTest, "
                    + "DynamoDbDeliveredEventsTest and DynamoDbSuppressionsTest cover the rest on moto)");
    static SamTemplate template;
    static MotoServer aws;
    static CloudFormationClient cfn;
    static SqsClient sqs;
    static SecretsManagerClient secrets;
    static CloudWatchLogsClient logs;
    static CloudWatchClient cloudwatch;
    static IamClient iam;
    static LambdaClient lambda;
    static SnsClient sns;
    static EventBridgeClient events;
    static DynamoDbClient dynamoDb;
    static S3Client s3;
    /** What Ref and Fn::GetAtt give in the deployed stack, in SamTemplate.resolve's form. */
    static final Map<String, Object> refs = new HashMap<>();
    static final Map<String, StackResource> deployed = new TreeMap<>();

    @BeforeAll
    static void readTheStack() throws Exception {
        assumeTrue(STACK != null && !STACK.isBlank(), "runs on LocalStack after bin/test --localstack has run `sam deploy` (SAM_DEPLOYED_STACK unset)");
        aws = MotoServer.start();
        assumeTrue(AwsEndpoint.emulatorAt(aws.endpoint()) == AwsEndpoint.Emulator.LOCALSTACK, "runs on LocalStack only: moto's CloudFormation skips secrets and aliases");
        template = SamTemplate.load(Path.of("..", "..", "template.yaml"));
        // the template as deployed: the values bin/test gave sam deploy replace the parameters' defaults
        String overrides = System.getenv().getOrDefault("SAM_DEPLOYED_PARAMETERS", "");
        for (String pair : overrides.isBlank() ? new String[0] : overrides.strip().split("\\s+")) {
            String[] kv = pair.split("=", 2);
            SamTemplate.map(SamTemplate.map(template.raw().get("Parameters")).get(kv[0])).put("Default", kv[1]);
        }
        cfn = client(CloudFormationClient.builder(), Region.US_EAST_1);
        sqs = aws.sqs();
        secrets = aws.secrets();
        logs = client(CloudWatchLogsClient.builder(), Region.US_EAST_1);
        cloudwatch = client(CloudWatchClient.builder(), Region.US_EAST_1);
        iam = client(IamClient.builder(), Region.AWS_GLOBAL);
        lambda = client(LambdaClient.builder(), Region.US_EAST_1);
        sns = client(SnsClient.builder(), Region.US_EAST_1);
        events = client(EventBridgeClient.builder(), Region.US_EAST_1);
        dynamoDb = aws.dynamoDb();
        s3 = aws.s3();

        for (StackResource r : cfn.describeStackResources(b -> b.stackName(STACK)).stackResources()) {
            deployed.put(r.logicalResourceId(), r);
            refs.put(r.logicalResourceId(), r.physicalResourceId());
        }
        refs.put("AWS::StackName", STACK);
        for (var r : deployed.values()) {
            String id = r.logicalResourceId();
            switch (r.resourceType()) {
                case "AWS::SQS::Queue" -> {
                    Map<QueueAttributeName, String> a = queueAttributes(r.physicalResourceId());
                    refs.put(id + ".Arn", a.get(QueueAttributeName.QUEUE_ARN));
                    refs.put(id + ".QueueName", a.get(QueueAttributeName.QUEUE_ARN).substring(a.get(QueueAttributeName.QUEUE_ARN).lastIndexOf(':') + 1));
                }
                case "AWS::Logs::LogGroup" -> refs.put(id + ".Arn", logGroup(r.physicalResourceId()).arn());
                case "AWS::IAM::Role" -> refs.put(id + ".Arn", iam.getRole(b -> b.roleName(r.physicalResourceId())).role().arn());
                case "AWS::S3::Bucket" -> refs.put(id + ".Arn", "arn:aws:s3:::" + r.physicalResourceId());
                case "AWS::DynamoDB::Table" -> refs.put(id + ".Arn", dynamoDb.describeTable(b -> b.tableName(r.physicalResourceId())).table().tableArn());
                case "AWS::Events::Rule" -> refs.put(id + ".Arn", events.describeRule(b -> b.name(ruleName(r.physicalResourceId()))).arn());
                default -> { }
            }
        }
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {cfn, sqs, secrets, logs, cloudwatch, iam, lambda, sns, events, dynamoDb, s3, aws}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // closing clients of a finished test
            }
        }
    }

    @Test
    void everyResourceTheTemplateCreates_exists_andNothingElseWasCreated() {
        List<String> expected = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if (!template.created(id)) return;
            String type = String.valueOf(SamTemplate.map(r).get("Type"));
            if (type.equals("AWS::Serverless::Function")) {
                // what the SAM transform makes of a function with AutoPublishAlias and an SQS event
                expected.add(id);
                expected.add(id + "Aliaslive");
                expected.add(id + "Version");
                SamTemplate.map(template.properties(id).get("Events")).keySet().forEach(e -> expected.add(id + e));
            } else {
                expected.add(id);
            }
        });
        List<String> created = deployed.keySet().stream().map(id -> id.replaceAll("^(\\w+Version)[0-9a-f]{10}$", "$1")).toList();

        assertThat(created).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(deployed.values()).allSatisfy(r -> assertThat(r.resourceStatusAsString()).as(r.logicalResourceId()).isEqualTo("CREATE_COMPLETE"));
    }

    @Test
    void queuesAndDlqs_haveTheTemplatesEncryptionTimeoutsRetentionAndRedrive() {
        for (String id : ofType("AWS::SQS::Queue")) {
            Map<String, Object> props = template.properties(id);
            Map<QueueAttributeName, String> a = queueAttributes(deployed.get(id).physicalResourceId());

            assertThat(a.get(QueueAttributeName.QUEUE_ARN)).as(id).endsWith(":" + resolve(props.get("QueueName")));
            assertThat(a.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED)).as(id + " SSE").isEqualTo(String.valueOf(props.get("SqsManagedSseEnabled")));
            assertThat(a.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).as(id).isEqualTo(String.valueOf(props.get("MessageRetentionPeriod")));
            if (props.containsKey("VisibilityTimeout")) {
                assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(id).isEqualTo(String.valueOf(props.get("VisibilityTimeout")));
            }
            Map<String, Object> redrive = SamTemplate.map(props.get("RedrivePolicy"));
            if (!redrive.isEmpty()) {
                JsonNode actual = json(a.get(QueueAttributeName.REDRIVE_POLICY));
                assertThat(actual.path("deadLetterTargetArn").asText()).as(id).isEqualTo(resolve(redrive.get("deadLetterTargetArn")));
                assertThat(actual.path("maxReceiveCount").asText()).as(id).isEqualTo(String.valueOf(resolve(redrive.get("maxReceiveCount"))));
            }
        }
    }

    @Test
    void subscriptions_deliverRawWithTheTemplatesFilterPolicy_toTheirQueues() {
        List<String> ids = ofType("AWS::SNS::Subscription");
        assertThat(ids).hasSize(template.functionIds().size());
        for (String id : ids) {
            Map<String, Object> props = template.properties(id);
            Map<String, String> a = sns.getSubscriptionAttributes(b -> b.subscriptionArn(deployed.get(id).physicalResourceId())).attributes();

            assertThat(a.get("TopicArn")).as(id).isEqualTo(resolve(props.get("TopicArn")));
            assertThat(a.get("Endpoint")).as(id).isEqualTo(resolve(props.get("Endpoint")));
            assertThat(a.get("Protocol")).as(id).isEqualTo(props.get("Protocol"));
            assertThat(a.get("RawMessageDelivery")).as(id).isEqualTo(String.valueOf(props.get("RawMessageDelivery")));
            assertThat(a.get("FilterPolicyScope")).as(id).isEqualTo(props.get("FilterPolicyScope"));
            Object filter = resolve(props.get("FilterPolicy")); // a Json property: the object, or its text (template.yaml joins text)
            assertThat(json(a.get("FilterPolicy"))).as(id).isEqualTo(filter instanceof String text ? json(text) : Json.mapper().valueToTree(filter));
        }
    }

    @Test
    void queuePolicies_letExactlyTheTopicAndTheRuleSend() {
        for (String id : ofType("AWS::SQS::QueuePolicy")) {
            Map<String, Object> props = template.properties(id);
            String queueUrl = String.valueOf(resolve(((List<?>) props.get("Queues")).get(0)));
            JsonNode policy = json(queueAttributes(queueUrl).get(QueueAttributeName.POLICY));
            List<String> want = new ArrayList<>();
            for (Object s : (List<?>) SamTemplate.map(props.get("PolicyDocument")).get("Statement")) {
                Map<String, Object> m = deployedStatement(s);
                if (m == null) continue;
                want.add(SamTemplate.map(m.get("Principal")).get("Service") + " " + statement(m.get("Action"), resolve(m.get("Resource")))
                        + " if " + resolve(SamTemplate.map(SamTemplate.map(m.get("Condition")).get("ArnEquals")).get("aws:SourceArn")));
            }
            List<String> got = new ArrayList<>();
            policy.path("Statement").forEach(st -> got.add(st.path("Principal").path("Service").asText() + " "
                    + statement(texts(st.get("Action")), texts(st.get("Resource"))) + " if " + st.path("Condition").path("ArnEquals").path("aws:SourceArn").asText()));

            assertThat(got).as(id).containsExactlyInAnyOrderElementsOf(want);
            assertThat(want).as(id + ": the rule's statement is deployed too (bin/test sets EventBusName)").hasSize(Boolean.TRUE.equals(template.condition("HasEventBus")) ? 2 : 1);
        }
    }

    @Test
    void eachDestinationsEventsRule_whenABusIsNamed_targetsItsQueue_withTheTemplatesPattern() {
        assumeTrue(Boolean.TRUE.equals(template.condition("HasEventBus")), "EventBusName was empty: no rules");
        List<String> rules = ofType("AWS::Events::Rule");
        String bus = String.valueOf(resolve(Map.of("Ref", "EventBusName")));
        List<String> queues = new ArrayList<>();
        for (String id : rules) {
            String name = ruleName(deployed.get(id).physicalResourceId());
            Map<String, Object> props = template.properties(id);
            List<String> targets = events.listTargetsByRule(b -> b.rule(name).eventBusName(bus)).targets().stream().map(t -> t.arn()).toList();
            List<?> want = (List<?>) props.get("Targets");
            assertThat(targets).as(id).containsExactly(String.valueOf(resolve(SamTemplate.map(want.get(0)).get("Arn"))));
            queues.addAll(targets);
            // the pattern as deployed with bin/test's parameters (the blocked names' default: none)
            String pattern = events.describeRule(b -> b.name(name).eventBusName(bus)).eventPattern();
            assertThat(json(pattern)).as(id + " EventPattern").isEqualTo(json(String.valueOf(resolve(props.get("EventPattern")))));
        }
        List<String> functionQueues = template.functionIds().stream().map(f -> String.valueOf(resolve(template.sqsEvent(f).get("Queue")))).toList();
        assertThat(queues).as("one rule per destination, each to its own queue").containsExactlyInAnyOrderElementsOf(functionQueues);
    }

    @Test
    void secretsAndLogGroups_areNamedAndKeptAsTheTemplateSays() {
        for (String id : ofType("AWS::SecretsManager::Secret")) {
            var secret = secrets.describeSecret(b -> b.secretId(deployed.get(id).physicalResourceId()));
            assertThat(secret.name()).as(id).isEqualTo(resolve(template.properties(id).get("Name")));
            JsonNode value = json(secrets.getSecretValue(b -> b.secretId(secret.arn())).secretString());
            assertThat(value.path("apiKey").asText("missing")).as(id + ": the placeholder the README tells users to replace").isEmpty();
        }
        for (String id : ofType("AWS::Logs::LogGroup")) {
            Integer retention = logGroup(deployed.get(id).physicalResourceId()).retentionInDays();
            if (retention == null) continue; // NOT_DONE_BY_LOCALSTACK: log group retention
            assertThat(retention).as(id).isEqualTo(Integer.valueOf(String.valueOf(resolve(template.properties(id).get("RetentionInDays")))));
        }
    }

    @Test
    void alarms_watchTheTemplatesMetricsWithItsThresholds() {
        for (String id : ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> props = template.properties(id);
            List<MetricAlarm> found = cloudwatch.describeAlarms(b -> b.alarmNames(deployed.get(id).physicalResourceId())).metricAlarms();
            assertThat(found).as(id).hasSize(1);
            MetricAlarm alarm = found.get(0);

            assertThat(alarm.threshold()).as(id).isEqualTo(Double.valueOf(String.valueOf(resolve(props.get("Threshold")))));
            assertThat(alarm.comparisonOperatorAsString()).as(id).isEqualTo(props.get("ComparisonOperator"));
            if (props.get("Metrics") instanceof List<?> metrics) {
                // metric math (the daily quota alarm, D38): each query's id and its expression or metric name
                List<String> want = metrics.stream().map(SamTemplate::map).map(m -> m.get("Id") + ": " + (m.get("Expression") != null ? m.get("Expression")
                        : SamTemplate.map(SamTemplate.map(m.get("MetricStat")).get("Metric")).get("MetricName"))).toList();
                assertThat(alarm.metrics()).as(id).extracting(q -> q.id() + ": " + (q.expression() != null ? q.expression() : q.metricStat().metric().metricName()))
                        .containsExactlyElementsOf(want);
                continue;
            }
            assertThat(alarm.namespace()).as(id).isEqualTo(props.get("Namespace"));
            assertThat(alarm.metricName()).as(id).isEqualTo(props.get("MetricName"));
            Map<String, String> dims = new TreeMap<>();
            alarm.dimensions().forEach(d -> dims.put(d.name(), d.value()));
            Map<String, String> want = new TreeMap<>();
            for (Object d : (List<?>) props.get("Dimensions")) want.put(String.valueOf(SamTemplate.map(d).get("Name")), String.valueOf(resolve(SamTemplate.map(d).get("Value"))));
            assertThat(dims).as(id).isEqualTo(want);
        }
    }

    @Test
    void roles_trustOnlyLambda_haveNoManagedPolicy_andExactlyTheTemplatesStatements() {
        for (String id : ofType("AWS::IAM::Role")) {
            String name = deployed.get(id).physicalResourceId();
            JsonNode trust = json(decoded(iam.getRole(b -> b.roleName(name)).role().assumeRolePolicyDocument()));
            assertThat(trust.path("Statement")).as(id).hasSize(1);
            assertThat(trust.path("Statement").get(0).path("Principal").path("Service").asText()).as(id).isEqualTo("lambda.amazonaws.com");
            assertThat(iam.listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies()).as(id + ": managed policies").isEmpty();

            List<?> policies = (List<?>) template.properties(id).get("Policies");
            assertThat(iam.listRolePolicies(b -> b.roleName(name)).policyNames()).as(id).hasSize(policies.size());
            for (Object p : policies) {
                String policyName = String.valueOf(SamTemplate.map(p).get("PolicyName"));
                JsonNode actual = json(decoded(iam.getRolePolicy(b -> b.roleName(name).policyName(policyName)).policyDocument()));
                List<String> want = new ArrayList<>();
                for (Object s : (List<?>) SamTemplate.map(SamTemplate.map(p).get("PolicyDocument")).get("Statement")) {
                    Map<String, Object> st = deployedStatement(s);
                    if (st == null) continue;
                    Object resource = st.get("Resource"); // one ARN, or a list of them (both lanes' queues, D57)
                    want.add(statement(st.get("Action"), resource instanceof List<?> l ? l.stream().map(LocalStackSamDeployTest::resolve).toList() : resolve(resource)));
                }
                List<String> got = new ArrayList<>();
                actual.path("Statement").forEach(st -> got.add(statement(texts(st.get("Action")), texts(st.get("Resource")))));
                assertThat(got).as(id + " " + policyName).containsExactlyInAnyOrderElementsOf(want);
            }
        }
    }

    @Test
    void theArchiveBucket_isEncrypted_private_unversioned_andExpiresObjectsAfterArchiveDays() {
        for (String id : ofType("AWS::S3::Bucket")) {
            String name = deployed.get(id).physicalResourceId();
            var rules = s3.getBucketEncryption(b -> b.bucket(name)).serverSideEncryptionConfiguration().rules();
            assertThat(rules).as(id).extracting(r -> r.applyServerSideEncryptionByDefault().sseAlgorithmAsString()).containsExactly("AES256");
            var block = s3.getPublicAccessBlock(b -> b.bucket(name)).publicAccessBlockConfiguration();
            assertThat(List.of(block.blockPublicAcls(), block.blockPublicPolicy(), block.ignorePublicAcls(), block.restrictPublicBuckets())).as(id).containsOnly(true);
            assertThat(s3.getBucketVersioning(b -> b.bucket(name)).statusAsString()).as(id + ": unversioned, an expired object is gone").isNull();
            List<software.amazon.awssdk.services.s3.model.LifecycleRule> lifecycle;
            try {
                lifecycle = s3.getBucketLifecycleConfiguration(b -> b.bucket(name)).rules();
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 404) throw e;
                continue; // NOT_DONE_BY_LOCALSTACK: the bucket's lifecycle
            }
            assertThat(lifecycle).as(id).hasSize(1);
            assertThat(lifecycle.get(0).expiration().days()).as(id).isEqualTo(Integer.valueOf(String.valueOf(resolve(Map.of("Ref", "ArchiveDays")))));
        }
        assertThat(ofType("AWS::S3::Bucket")).as("the bucket is deployed iff ArchiveDays is not 0").hasSize(template.created("ArchiveBucket") ? 1 : 0);
    }

    @Test
    void theDeduplicationTable_hasTheTemplatesKeyBillingEncryptionAndTtl() {
        for (String id : ofType("AWS::DynamoDB::Table")) {
            Map<String, Object> props = template.properties(id);
            String name = deployed.get(id).physicalResourceId();
            TableDescription t = dynamoDb.describeTable(b -> b.tableName(name)).table();
            assertThat(t.keySchema()).as(id).extracting(k -> k.attributeName() + " " + k.keyTypeAsString())
                    .containsExactlyElementsOf(((List<?>) props.get("KeySchema")).stream().map(SamTemplate::map).map(k -> k.get("AttributeName") + " " + k.get("KeyType")).toList());
            assertThat(t.billingModeSummary().billingModeAsString()).as(id).isEqualTo(props.get("BillingMode"));
            if (t.sseDescription() != null) { // LocalStack reports SSE only when it was asked for
                assertThat(t.sseDescription().statusAsString()).as(id).isEqualTo("ENABLED");
            }
            Map<String, Object> ttl = SamTemplate.map(props.get("TimeToLiveSpecification"));
            var actual = dynamoDb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
            assertThat(actual.attributeName()).as(id).isEqualTo(ttl.get("AttributeName"));
            assertThat(actual.timeToLiveStatusAsString()).as(id).isEqualTo(Boolean.TRUE.equals(ttl.get("Enabled")) ? "ENABLED" : "DISABLED");
        }
        assertThat(ofType("AWS::DynamoDB::Table")).as("each table is deployed iff its parameter is on")
                .hasSize((template.created("DeliveredEventsTable") ? 1 : 0) + (template.created("ErasureTable") ? 1 : 0));
    }

    @Test
    void functions_haveTheTemplatesRuntimeRoleEnvironmentAndLogGroup_behindTheLiveAlias() {
        for (String id : template.functionIds()) {
            FunctionConfiguration f = lambda.getFunction(b -> b.functionName(deployed.get(id).physicalResourceId())).configuration();

            assertThat(f.runtimeAsString()).as(id).isEqualTo(template.functionProperty(id, "Runtime"));
            assertThat(f.handler()).as(id).isEqualTo(template.functionProperty(id, "Handler"));
            assertThat(f.architecturesAsStrings()).as(id).isEqualTo(template.functionProperty(id, "Architectures"));
            assertThat(f.memorySize()).as(id).isEqualTo(template.functionProperty(id, "MemorySize"));
            assertThat(f.timeout()).as(id).isEqualTo(template.functionProperty(id, "Timeout"));
            assertThat(f.tracingConfig().modeAsString()).as(id).isEqualTo(template.functionProperty(id, "Tracing"));
            assertThat(f.role()).as(id).isEqualTo(resolve(template.properties(id).get("Role")));
            assertThat(f.loggingConfig().logGroup()).as(id).isEqualTo(resolve(SamTemplate.map(template.properties(id).get("LoggingConfig")).get("LogGroup")));
            if (f.snapStart() != null && !"None".equals(f.snapStart().applyOnAsString())) { // else NOT_DONE_BY_LOCALSTACK: SnapStart
                assertThat(f.snapStart().applyOnAsString()).as(id).isEqualTo(SamTemplate.map(template.functionProperty(id, "SnapStart")).get("ApplyOn"));
            }
            Map<String, String> env = template.environment(id, refs);
            assertThat(new TreeMap<>(f.environment().variables())).as(id).isEqualTo(new TreeMap<>(env));

            var alias = lambda.getAlias(b -> b.functionName(f.functionName()).name(String.valueOf(template.functionProperty(id, "AutoPublishAlias"))));
            assertThat(alias.functionVersion()).as(id + ": the alias points at a published version").isNotEqualTo("$LATEST").matches("[0-9]+");
        }
    }

    @Test
    void eventSourceMappings_callTheAlias_withTheTemplatesBatchingAndPartialBatchResponses() {
        for (String id : template.functionIds()) {
            Map<String, Object> event = template.sqsEvent(id);
            String queueArn = String.valueOf(resolve(event.get("Queue")));
            List<EventSourceMappingConfiguration> mappings = lambda.listEventSourceMappings(b -> b.eventSourceArn(queueArn)).eventSourceMappings();
            assertThat(mappings).as(id).hasSize(1);
            EventSourceMappingConfiguration m = mappings.get(0);

            assertThat(m.functionArn()).as(id).endsWith(":" + template.functionProperty(id, "AutoPublishAlias"));
            assertThat(m.batchSize()).as(id).isEqualTo(event.get("BatchSize"));
            assertThat(m.maximumBatchingWindowInSeconds()).as(id).isEqualTo(event.get("MaximumBatchingWindowInSeconds"));
            assertThat(m.functionResponseTypesAsStrings()).as(id).isEqualTo(event.get("FunctionResponseTypes"));
            assertThat(m.scalingConfig().maximumConcurrency()).as(id)
                    .isEqualTo(Integer.valueOf(String.valueOf(resolve(SamTemplate.map(event.get("ScalingConfig")).get("MaximumConcurrency")))));
        }
    }

    @Test
    void outputs_giveTheQueueUrlsAndSecretsUsersPublishTo() {
        Map<String, String> outputs = new TreeMap<>();
        cfn.describeStacks(b -> b.stackName(STACK)).stacks().get(0).outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        Map<String, String> want = new TreeMap<>();
        SamTemplate.map(template.raw().get("Outputs")).forEach((k, v) -> {
            Object condition = SamTemplate.map(v).get("Condition"); // an output whose condition is false is not deployed
            if (condition == null || Boolean.TRUE.equals(template.condition(String.valueOf(condition)))) {
                want.put(k, String.valueOf(resolve(SamTemplate.map(v).get("Value"))));
            }
        });

        assertThat(outputs).isEqualTo(want);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A rule's physical id is "bus|name" on a custom bus, the name on the default one. */
    private static String ruleName(String physicalId) {
        return physicalId.contains("|") ? physicalId.substring(physicalId.indexOf('|') + 1) : physicalId;
    }

    private static List<String> ofType(String type) {
        return deployed.values().stream().filter(r -> r.resourceType().equals(type)).map(StackResource::logicalResourceId).toList();
    }

    /** A policy statement as deployed: {@code !If [condition, statement, AWS::NoValue]} evaluated; null when it is not there. */
    private static Map<String, Object> deployedStatement(Object s) {
        Map<String, Object> m = SamTemplate.map(s);
        if (m.get("Fn::If") instanceof List<?> branches) {
            m = SamTemplate.map(Boolean.TRUE.equals(template.condition(String.valueOf(branches.get(0)))) ? branches.get(1) : branches.get(2));
            if ("AWS::NoValue".equals(m.get("Ref"))) return null;
        }
        return m;
    }

    private static Object resolve(Object expression) {
        Object v = template.resolve(expression, "<unresolved>", refs);
        assertThat(v).as("template value " + expression).isNotEqualTo("<unresolved>");
        return v;
    }

    /** A statement as "actions -> resources", each list sorted, for comparing documents written differently. */
    private static String statement(Object actions, Object resources) {
        return sorted(actions) + " -> " + sorted(resources);
    }

    private static List<String> sorted(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
        else out.add(String.valueOf(o));
        out.sort(null);
        return out;
    }

    private static Map<QueueAttributeName, String> queueAttributes(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
    }

    private static LogGroup logGroup(String name) {
        return logs.describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().stream().filter(g -> g.logGroupName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no log group " + name));
    }

    /** IAM returns policy documents URL-encoded. */
    private static String decoded(String document) {
        return document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** A JSON string or array of strings as a list. */
    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else out.add(node.asText());
        return out;
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, Region region) {
        return builder.endpointOverride(aws.endpoint()).region(region).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }
}
