package dev.destinations.tools;

import static dev.destinations.tools.TemplateInvariants.list;
import static dev.destinations.tools.TemplateInvariants.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml against house style 4.7 ({@link TemplateInvariants}): every function, then the checker itself on
 * broken copies of the real template, so that an empty violation list means something.
 */
class TemplateInvariantsTest {
    static final Path TEMPLATE = TemplateInvariants.locateTemplate();
    static final Path ROOT = TEMPLATE.toAbsolutePath().normalize().getParent();

    static Stream<String> functionIds() throws IOException {
        return TemplateInvariants.forFile(TEMPLATE).functionIds().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionIds")
    void everyFunction_followsTheTemplateConventions(String functionId) throws IOException {
        List<String> violations = TemplateInvariants.forFile(TEMPLATE).functionViolations(functionId);

        assertThat(violations)
                .withFailMessage(() -> report(functionId, violations))
                .isEmpty();
    }

    @Test
    void template_hasFunctions_andNothingTemplateWideIsBroken() throws IOException {
        TemplateInvariants checker = TemplateInvariants.forFile(TEMPLATE);
        List<String> violations = checker.templateViolations();

        assertThat(checker.functionIds()).as("functions in %s", TEMPLATE).contains("CustifyFunction");
        assertThat(violations).withFailMessage(() -> report(TemplateInvariants.TEMPLATE_WIDE, violations)).isEmpty();
    }

    @Test
    void shortFormTags_loadAsTheirLongForms() {
        Map<String, Object> t = TemplateInvariants.parse(new StringReader("""
                A: !GetAtt Queue.Arn
                B: !If [Cond, !Ref X, !Sub "${AWS::StackName}-x"]
                C: !Select [0, !Split [",", !ImportValue Out]]
                D: !Not [!Equals [!Ref P, ""]]
                """));

        assertThat(t.get("A")).isEqualTo(Map.of("Fn::GetAtt", List.of("Queue", "Arn")));
        assertThat(t.get("B")).isEqualTo(Map.of("Fn::If", List.of("Cond", Map.of("Ref", "X"), Map.of("Fn::Sub", "${AWS::StackName}-x"))));
        assertThat(t.get("C")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",", Map.of("Fn::ImportValue", "Out"))))));
        assertThat(t.get("D")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))));
    }

    @Test
    void forEachLoops_expandAsTheLanguageExtensionsTransformDoes() {
        Map<String, Object> t = TemplateInvariants.parse(new StringReader("""
                Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
                Mappings:
                  D: {UserCom: {Slug: user-com}, Custify: {Slug: custify}}
                Conditions:
                  Fn::ForEach::C: [N, [UserCom], {"Has${N}": !Equals [{Ref: !Sub "${N}P"}, ""]}]
                Resources:
                  Fn::ForEach::R:
                    - N
                    - &names [UserCom, Custify]
                    - ${N}Queue:
                        Type: AWS::SQS::Queue
                        Properties:
                          QueueName: !Sub ["${AWS::StackName}-${S}", {S: !FindInMap [D, !Ref N, Slug]}]
                          Tags: [{Key: "&{N}x", Value: !Ref N}]
                          Redrive: !GetAtt [!Sub "${N}Dlq", Arn]
                          Url: {Ref: !Sub "${N}Dlq"}
                Outputs:
                  Fn::ForEach::O: [N, *names, {"${N}Url": {Value: !Ref "${N}Queue"}}]
                """));

        assertThat(t.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(map(t.get("Conditions"))).containsOnlyKeys("HasUserCom");
        assertThat(map(t.get("Resources"))).containsOnlyKeys("UserComQueue", "CustifyQueue");
        Map<String, Object> p = map(map(map(t.get("Resources")).get("UserComQueue")).get("Properties"));
        assertThat(p.get("QueueName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-user-com"));
        assertThat(p.get("Tags")).isEqualTo(List.of(Map.of("Key", "UserComx", "Value", "UserCom")));
        assertThat(p.get("Redrive")).isEqualTo(Map.of("Fn::GetAtt", List.of("UserComDlq", "Arn")));
        assertThat(p.get("Url")).isEqualTo(Map.of("Ref", "UserComDlq"));
        assertThat(map(t.get("Outputs"))).containsOnlyKeys("UserComUrl", "CustifyUrl");
    }

    @Test
    void theTemplate_writesEachDestinationOnce_andReadsAsEveryDestinationsResources() throws IOException {
        String text = java.nio.file.Files.readString(TEMPLATE);
        TemplateInvariants checker = TemplateInvariants.forFile(TEMPLATE);

        // the functions as their descriptors declare them: one loop entry each, no list kept here
        List<String> names = Functions.ALL.stream().map(f -> f.logicalId().replaceFirst("Function$", "")).toList();
        assertThat(checker.functionIds()).containsExactlyInAnyOrderElementsOf(Functions.ALL.stream().map(Functions.Spec::logicalId).toList());
        for (String kind : List.of("Function", "FunctionRole", "LogGroup", "Queue", "Dlq", "EventsSubscription", "EventsRule", "QueuePolicy",
                "DlqAlarm", "BacklogAlarm", "ParkedAlarm", "RetriedAlarm", "ApiKeySecret")) {
            for (String name : names) {
                assertThat(checker.resources()).as(kind).containsKey(name + kind);
                assertThat(text).as("%s written once, in the loop", kind).doesNotContain(name + kind + ":");
            }
        }
    }

    // ---------------------------------------------------------------------------------------- the checker can fail

    /** A mutation of the real template (applied to its first function) and a fragment of the violation it must cause. */
    record Breakage(String name, Consumer<Fixture> mutate, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The parsed template and the logical ids a mutation needs. */
    record Fixture(Map<String, Object> template, String function, String queue, String dlq) {
        Map<String, Object> props(String id) {
            return map(map(map(template.get("Resources")).get(id)).get("Properties"));
        }

        Map<String, Object> globals() {
            return map(map(template.get("Globals")).get("Function"));
        }

        Map<String, Object> sqsEvent() {
            return map(map(props(function).get("Events")).values().stream()
                    .filter(e -> "SQS".equals(map(e).get("Type"))).findFirst().map(e -> map(e).get("Properties")).orElseThrow());
        }

        Map<String, Object> globalEnv() {
            return map(map(globals().get("Environment")).get("Variables"));
        }

        Map<String, Object> ownEnv() {
            return map(map(props(function).get("Environment")).get("Variables"));
        }

        String subscription() {
            return byTypeOnQueue("AWS::SNS::Subscription", p -> map(p.get("Endpoint")));
        }

        /** The subscription's filter policy as a map to mutate (the template may write it as JSON text). */
        @SuppressWarnings("unchecked")
        Map<String, Object> filterPolicy() {
            Object fp = new TemplateInvariants(template, Path.of(".")).filterPolicy(props(subscription()).get("FilterPolicy"));
            props(subscription()).put("FilterPolicy", fp);
            return (Map<String, Object>) fp;
        }

        String rule() {
            return map(template.get("Resources")).entrySet().stream()
                    .filter(e -> "AWS::Events::Rule".equals(map(e.getValue()).get("Type")))
                    .filter(e -> list(props(e.getKey()).get("Targets")).toString().contains(queue))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no rule targets " + queue));
        }

        /** The rule's event pattern as a map to mutate (the template writes it as JSON text). */
        @SuppressWarnings("unchecked")
        Map<String, Object> eventPattern() {
            Object pattern = new TemplateInvariants(template, Path.of(".")).filterPolicy(props(rule()).get("EventPattern"));
            props(rule()).put("EventPattern", pattern);
            return (Map<String, Object>) pattern;
        }

        String queuePolicy() {
            return byTypeOnQueue("AWS::SQS::QueuePolicy", p -> map(list(p.get("Queues")).get(0)));
        }

        private String byTypeOnQueue(String type, java.util.function.Function<Map<String, Object>, Map<String, Object>> queueRef) {
            return map(template.get("Resources")).entrySet().stream()
                    .filter(e -> type.equals(map(e.getValue()).get("Type")))
                    .filter(e -> queueRef.apply(props(e.getKey())).toString().contains(queue))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no " + type + " on " + queue));
        }

        String role() {
            return String.valueOf(list(map(props(function).get("Role")).get("Fn::GetAtt")).get(0));
        }

        Map<String, Object> statementWith(String action) {
            String role = role();
            for (Object policy : list(props(role).get("Policies"))) {
                for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                    if (map(s).get("Fn::If") instanceof List<?> l && l.size() == 3) s = l.get(1); // a conditional statement
                    if (list(map(s).get("Action")).contains(action)) return map(s);
                }
            }
            throw new AssertionError("no statement with " + action + " to break");
        }

        Map<String, Object> statementWithSid(String sid) {
            for (Object policy : list(props(role()).get("Policies"))) {
                for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                    if (map(s).get("Fn::If") instanceof List<?> l && l.size() == 3) s = l.get(1); // a conditional statement
                    if (sid.equals(map(s).get("Sid"))) return map(s);
                }
            }
            throw new AssertionError("no statement " + sid + " to break");
        }

        Map<String, Object> resources() {
            return map(template.get("Resources"));
        }

        /** The parameter behind a {@code !Ref}. */
        Map<String, Object> parameterRefdBy(Object ref) {
            Object name = map(ref).get("Ref");
            Object p = map(template.get("Parameters")).get(name);
            if (p == null) throw new AssertionError(ref + " is not a Ref to a parameter");
            return map(p);
        }

        String alarmOfDlq() {
            return resources().entrySet().stream().filter(e -> "AWS::CloudWatch::Alarm".equals(map(e.getValue()).get("Type")))
                    .filter(e -> map(e.getValue()).toString().contains(dlq)).map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError("no alarm on " + dlq + " to break"));
        }
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                new Breakage("no ReportBatchItemFailures", f -> f.sqsEvent().remove("FunctionResponseTypes"), "ReportBatchItemFailures"),
                new Breakage("no MaximumConcurrency", f -> f.sqsEvent().remove("ScalingConfig"), "ScalingConfig.MaximumConcurrency"),
                new Breakage("no BatchSize", f -> f.sqsEvent().remove("BatchSize"), "no BatchSize"),
                new Breakage("visibility timeout below 6 x timeout", f -> f.props(f.queue()).put("VisibilityTimeout", 60), "VisibilityTimeout 60 is below 6 x"),
                new Breakage("function timeout raised past the visibility timeout", f -> f.props(f.function()).put("Timeout", 60), "is below 6 x the function Timeout 60"),
                new Breakage("maxReceiveCount 3", f -> map(f.props(f.queue()).get("RedrivePolicy")).put("maxReceiveCount", 3), "maxReceiveCount 3 (= 3) is below 5"),
                new Breakage("MaxReceiveCount parameter without MinValue", f -> f.parameterRefdBy(map(f.props(f.queue()).get("RedrivePolicy")).get("maxReceiveCount")).remove("MinValue"), "needs MinValue >= 5"),
                new Breakage("env MAX_RECEIVE_COUNT literal", f -> f.ownEnv().put("MAX_RECEIVE_COUNT", "5"), "env MAX_RECEIVE_COUNT is 5, not the queue's RedrivePolicy maxReceiveCount"),
                new Breakage("no redrive policy", f -> f.props(f.queue()).remove("RedrivePolicy"), "no RedrivePolicy"),
                new Breakage("queue not encrypted", f -> f.props(f.queue()).remove("SqsManagedSseEnabled"), "no SqsManagedSseEnabled"),
                new Breakage("DLQ keeps 4 days", f -> f.props(f.dlq()).put("MessageRetentionPeriod", 345600), "MessageRetentionPeriod 345600, not 1209600"),
                new Breakage("DLQ without an alarm", f -> f.resources().remove(f.alarmOfDlq()), "no AWS::CloudWatch::Alarm"),
                new Breakage("no parked-rate alarm", f -> f.resources().remove("CustifyParkedAlarm"), "no alarm on CsDestinations Parked"),
                new Breakage("no retried-rate alarm", f -> f.resources().remove("CustifyRetriedAlarm"), "no alarm on CsDestinations Retried"),
                new Breakage("alarm from the second message", f -> f.props(f.alarmOfDlq()).put("Threshold", 1), "does not fire on the first message"),
                new Breakage("DLQ_URL is the source queue", f -> f.ownEnv().put("DLQ_URL", Map.of("Ref", f.queue())), "env DLQ_URL is !Ref " ),
                new Breakage("wildcard resource", f -> f.statementWith("sqs:ChangeMessageVisibility").put("Resource", "*"), "wildcard Resource \"*\""),
                new Breakage("wildcard in a Sub ARN", f -> f.statementWith("sqs:SendMessage").put("Resource", Map.of("Fn::Sub", "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:*")), "wildcard Resource"),
                new Breakage("a queue at the 256 KiB default", f -> f.props(f.queue()).remove("MaximumMessageSize"), "MaximumMessageSize null, not SQS's most 1048576"),
                new Breakage("a DLQ smaller than its queue", f -> f.props(f.dlq()).put("MaximumMessageSize", 262144), "MaximumMessageSize 262144, not 1048576"),
                new Breakage("no backfill lane", f -> map(f.props(f.function()).get("Events")).remove("Backfill"), "0 backfill queues"),
                new Breakage("backfill lane at the live concurrency", f -> map(map(map(map(f.props(f.function()).get("Events")).get("Backfill")).get("Properties")).get("ScalingConfig"))
                        .put("MaximumConcurrency", Map.of("Ref", "MaximumConcurrency")), "not !Ref BackfillConcurrency"),
                new Breakage("backfill lane parks elsewhere", f -> map(f.props("CustifyBackfillQueue").get("RedrivePolicy")).put("deadLetterTargetArn", getAtt("UserComDlq")), "not to one DLQ"),
                new Breakage("payload reads on every bucket", f -> f.statementWith("s3:GetObject").put("Resource", Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::*")), "not exactly the objects of the PayloadBucketName bucket"),
                new Breakage("payload bucket may be written", f -> f.statementWith("s3:GetObject").put("Action", List.of("s3:GetObject", "s3:PutObject")),
                        "s3:PutObject on [!Sub \"arn:${AWS::Partition}:s3:::${PayloadBucketName}/*\"], not exactly ${<archive bucket"), // PutObject is the archive's alone
                new Breakage("SendMessage on another queue", f -> f.statementWith("sqs:SendMessage").put("Resource", getAtt("UserComQueue")), "sqs:SendMessage on"),
                new Breakage("parking only on the source queue", f -> f.statementWith("sqs:SendMessage").put("Resource", getAtt(f.queue())), "does not allow sqs:SendMessage on the function's DLQ"),
                new Breakage("no re-queue permission", f -> list(f.props(f.role()).get("Policies")).forEach(p -> list(map(map(p).get("PolicyDocument")).get("Statement"))
                        .removeIf(s -> "RequeueBatchEventRetries".equals(map(s).get("Sid")))), "does not allow sqs:SendMessage on the function's queue"),
                new Breakage("ChangeMessageVisibility on the DLQ", f -> f.statementWith("sqs:ChangeMessageVisibility").put("Resource", getAtt(f.dlq())), "sqs:ChangeMessageVisibility on"),
                new Breakage("secret read on another secret", f -> f.statementWith("secretsmanager:GetSecretValue").put("Resource", Map.of("Ref", "SomeOtherSecretArn")), "not exactly this function's secret"),
                new Breakage("no secret read", f -> f.statementWith("secretsmanager:GetSecretValue").put("Action", "secretsmanager:DescribeSecret"), "does not allow secretsmanager:GetSecretValue"),
                new Breakage("managed policy on the role", f -> f.props(f.role()).put("ManagedPolicyArns", new ArrayList<>(List.of("arn:aws:iam::aws:policy/AmazonSQSFullAccess"))), "has managed policy arn:aws:iam::aws:policy/AmazonSQSFullAccess"),
                new Breakage("Policies on the function", f -> f.props(f.function()).put("Policies", new ArrayList<>(List.of("AWSLambdaBasicExecutionRole"))), "Policies on the function"),
                new Breakage("no own role", f -> f.props(f.function()).remove("Role"), "Role is"),
                new Breakage("an action it does not need", f -> f.statementWith("sqs:SendMessage").put("Action", new ArrayList<>(List.of("sqs:SendMessage", "sqs:PurgeQueue"))), "sqs:PurgeQueue is not an action this function needs"),
                new Breakage("table writes on a queue", f -> f.statementWith("dynamodb:PutItem").put("Resource", getAtt(f.queue())), "not exactly the deduplication table"),
                new Breakage("archive writes under another destination's prefix", f -> f.statementWith("s3:PutObject").put("Resource", Map.of("Fn::Sub", "${ArchiveBucket.Arn}/user-com/*")),
                        "not exactly ${<archive bucket [ArchiveBucket]>.Arn}/custify/*"),
                new Breakage("archive writes anywhere in the bucket", f -> f.statementWith("s3:PutObject").put("Resource", Map.of("Fn::Sub", "${ArchiveBucket.Arn}/*")), "wildcard Resource"),
                new Breakage("archive read back by the function", f -> f.statementWith("s3:PutObject").put("Action", new ArrayList<>(List.of("s3:PutObject", "s3:GetObject"))),
                        "s3:GetObject on [!Sub \"${ArchiveBucket.Arn}/custify/*\"], not exactly the objects of the PayloadBucketName bucket"),
                new Breakage("archive kept forever", f -> f.props("ArchiveBucket").remove("LifecycleConfiguration"), "no enabled lifecycle rule expiring every object"),
                new Breakage("archive versioned", f -> f.props("ArchiveBucket").put("VersioningConfiguration", Map.of("Status", "Enabled")), "ArchiveBucket is versioned"),
                new Breakage("archive not encrypted", f -> f.props("ArchiveBucket").remove("BucketEncryption"), "ArchiveBucket has no default encryption"),
                new Breakage("table scan", f -> f.statementWith("dynamodb:PutItem").put("Action", new ArrayList<>(List.of("dynamodb:PutItem", "dynamodb:Scan"))),
                        "dynamodb:Scan is not an action this function needs"),
                new Breakage("logs on every log group", f -> f.statementWith("logs:PutLogEvents").put("Resource", "*"), "wildcard Resource \"*\""),
                new Breakage("receive on the DLQ", f -> f.statementWith("sqs:ReceiveMessage").put("Resource", getAtt(f.dlq())), "sqs:ReceiveMessage on"),
                new Breakage("role trusted by another service", f -> map(list(map(f.props(f.role()).get("AssumeRolePolicyDocument")).get("Statement")).get(0)).put("Principal", Map.of("Service", "ec2.amazonaws.com")), "is not trusted by lambda.amazonaws.com alone"),
                new Breakage("SNS envelopes on the queue", f -> f.props(f.subscription()).put("RawMessageDelivery", false), "RawMessageDelivery is not true"),
                new Breakage("filter on attributes", f -> f.props(f.subscription()).remove("FilterPolicyScope"), "FilterPolicyScope is null"),
                new Breakage("suppressions of every destination", f -> map(map(f.statementWith("dynamodb:GetItem").get("Condition")).get("ForAllValues:StringLike"))
                        .put("dynamodb:LeadingKeys", new ArrayList<>(List.of("*"))), "not one destination's own '<slug>#*'"),
                new Breakage("receipts updated without a condition", f -> f.statementWithSid("WriteDeletionReceipts").remove("Condition"),
                        "on the erasure table with leading keys [], not exactly [receipts]"),
                new Breakage("filter lets page through to Custify", f -> list(map(list(f.filterPolicy().get("$or")).get(0)).get("type"))
                        .add(Map.of("equals-ignore-case", "page")), "the filter lets through types [group, identify, page, suppress, track, unsuppress, userDeletion]"),
                new Breakage("filter drops batches", f -> list(f.filterPolicy().get("$or")).remove(1), "drops {\"batch\""),
                new Breakage("batch exists on the array, not a leaf", f -> list(f.filterPolicy().get("$or")).set(1, Map.of("batch", List.of(Map.of("exists", true)))),
                        "drops {\"batch\""),
                new Breakage("no subscription", f -> f.resources().remove(f.subscription()), "0 SNS subscriptions"),
                new Breakage("queue policy without a source", f -> map(list(map(f.props(f.queuePolicy()).get("PolicyDocument")).get("Statement")).get(0)).remove("Condition"), "SNS may send from null"),
                new Breakage("queue policy open to everyone", f -> map(list(map(f.props(f.queuePolicy()).get("PolicyDocument")).get("Statement")).get(0)).put("Principal", "*"), "is neither the topic's SNS"),
                new Breakage("rule to every queue", f -> list(f.props(f.rule()).get("Targets")).add(Map.of("Id", "other", "Arn", Map.of("Fn::GetAtt", List.of("UserComQueue", "Arn")))),
                        "is the target of 2 EventBridge rules"),
                new Breakage("no rule for a queue", f -> f.resources().remove(f.rule()), "is the target of 0 EventBridge rules"),
                new Breakage("rule lets page through to Custify", f -> list(map(f.eventPattern().get("detail")).get("type")).add(Map.of("equals-ignore-case", "page")),
                        "the pattern lets through types [group, identify, page, suppress, track, unsuppress, userDeletion]"),
                new Breakage("rule ignores the blocked names", f -> f.props(f.rule()).put("EventPattern", Map.of("detail", Map.of("type", list(map(f.eventPattern().get("detail")).get("type"))))),
                        "not the names the function filters"),
                new Breakage("queue lets another rule send", f -> map(list(map(f.props(f.queuePolicy()).get("PolicyDocument")).get("Statement")).get(1))
                        .put("Fn::If", List.of("HasEventBus", Map.of("Sid", "FromTheEventsRule", "Effect", "Allow", "Principal", Map.of("Service", "events.amazonaws.com"),
                                "Action", "sqs:SendMessage", "Resource", Map.of("Fn::GetAtt", List.of(f.queue(), "Arn")),
                                "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::GetAtt", List.of("UserComEventsRule", "Arn"))))), Map.of("Ref", "AWS::NoValue"))),
                        "not only the queue's own events rule"),
                new Breakage("receives too few for the window", f -> f.parameterRefdBy(map(f.props(f.queue()).get("RedrivePolicy")).get("maxReceiveCount")).put("Default", 50),
                        "maxReceiveCount 50 does not cover the retry window"),
                new Breakage("retention shorter than the window", f -> f.props(f.queue()).put("MessageRetentionPeriod", 86400), "is shorter than the retry window"),
                new Breakage("second pass before the timeout", f -> f.globalEnv().put("ERASURE_SECOND_PASS_SECONDS", "20"), "not above the function's Timeout 30"),
                new Breakage("backoff cap of an hour", f -> f.globalEnv().put("RETRY_MAX_SECONDS", "3600"), "RETRY_MAX_SECONDS 3600"),
                new Breakage("no backlog alarm", f -> f.resources().values().removeIf(r -> "ApproximateAgeOfOldestMessage".equals(map(map(r).get("Properties")).get("MetricName"))),
                        "no alarm on AWS/SQS ApproximateAgeOfOldestMessage"),
                new Breakage("no daily quota alarm", f -> f.resources().values().removeIf(r -> list(map(map(r).get("Properties")).get("Metrics")).stream()
                        .anyMatch(m -> "VendorDailyQuota".equals(map(map(map(m).get("MetricStat")).get("Metric")).get("MetricName")))), "no alarm at 80"),
                new Breakage("daily quota not passed to the function", f -> f.ownEnv().remove("VENDOR_DAILY_QUOTA"), "env VENDOR_DAILY_QUOTA is null"),
                new Breakage("java17", f -> f.globals().put("Runtime", "java17"), "Runtime is java17, not java21"),
                new Breakage("no SnapStart", f -> f.globals().remove("SnapStart"), "SnapStart.ApplyOn"),
                new Breakage("no alias", f -> f.globals().remove("AutoPublishAlias"), "AutoPublishAlias"),
                new Breakage("no tracing", f -> f.globals().put("Tracing", "PassThrough"), "Tracing is PassThrough"),
                new Breakage("no own log group", f -> f.props(f.function()).remove("LoggingConfig"), "LoggingConfig.LogGroup"),
                new Breakage("sam's Maven builder", f -> map(map(map(f.template().get("Resources")).get(f.function())).get("Metadata")).remove("BuildMethod"), "BuildMethod"),
                new Breakage("handler class missing", f -> f.props(f.function()).put("Handler", "dev.destinations.nowhere.MissingHandler::handleRequest"), "no functions/"),
                new Breakage("literal API key in env", f -> f.ownEnv().put("CUSTIFY_API_TOKEN", "tok-123"), "env CUSTIFY_API_TOKEN has a literal value"),
                new Breakage("API key in the settings default", f -> f.parameterRefdBy(f.ownEnv().get("DESTINATION_SETTINGS")).put("Default", "{\"apiKey\":\"k-123\"}"), "holds a value for 'apiKey'"),
                new Breakage("SecretString in the template", f -> f.resources().values().stream().map(r -> map(r))
                        .filter(r -> "AWS::SecretsManager::Secret".equals(r.get("Type"))).findFirst().orElseThrow()
                        .put("Properties", Map.of("SecretString", "{\"apiKey\":\"k-123\"}")), "sets SecretString"),
                new Breakage("API key secret ARN written in", f -> f.ownEnv().put("API_KEY_SECRET_ID", "arn:aws:secretsmanager:us-east-1:123456789012:secret:k-AbCdEf"),
                        "not a reference to an AWS::SecretsManager::Secret"),
                new Breakage("CodeUri without its Makefile", f -> f.props(f.function()).put("CodeUri", "functions"), "not a folder with a Makefile"),
                new Breakage("CodeUri without the loop variable", f -> f.resources().values().stream().map(r -> map(r))
                        .filter(r -> "AWS::Serverless::Function".equals(r.get("Type"))).forEach(r -> map(r.get("Properties")).put("CodeUri", "sam/Custify")), "share the CodeUri"))
                .map(b -> Arguments.of(b));
    }

    /** D38: Gainsight PX's published 1,000,000 requests a day is its default; the others have no quota unless set. */
    @Test
    void dailyQuota_defaultsToGainsightPxsPublishedQuota_andNoneElsewhere() throws IOException {
        Map<String, Object> parameters = map(TemplateInvariants.load(TEMPLATE).get("Parameters"));
        assertThat(map(parameters.get("GainsightPxVendorDailyQuota")).get("Default")).isEqualTo("1000000");
        assertThat(map(parameters.get("CustifyVendorDailyQuota")).get("Default")).isEqualTo("");
        assertThat(map(parameters.get("UserComVendorDailyQuota")).get("Default")).isEqualTo("");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void brokenTemplate_isReported(Breakage breakage) throws IOException {
        Fixture fixture = fixture();
        TemplateInvariants before = new TemplateInvariants(fixture.template(), ROOT);
        assertThat(allViolations(before)).as("the real template is clean before the mutation").isEmpty();

        breakage.mutate().accept(fixture);
        List<String> after = allViolations(new TemplateInvariants(fixture.template(), ROOT));

        assertThat(after).as("violations after '%s'", breakage.name()).anySatisfy(v -> assertThat(v).contains(breakage.expected()));
    }

    // ---------------------------------------------------------------------------------------- helpers

    static Fixture fixture() throws IOException {
        Map<String, Object> template = TemplateInvariants.load(TEMPLATE);
        TemplateInvariants checker = new TemplateInvariants(template, ROOT);
        String function = checker.functionIds().getFirst();
        String queue = checker.queueOf(function).orElseThrow(() -> new AssertionError(function + " has no SQS queue"));
        String dlq = checker.dlqOf(queue).orElseThrow(() -> new AssertionError(queue + " has no DLQ"));
        return new Fixture(template, function, queue, dlq);
    }

    static List<String> allViolations(TemplateInvariants checker) {
        List<String> all = new ArrayList<>();
        checker.violations().forEach((id, vs) -> vs.forEach(v -> all.add(id + ": " + v)));
        return all;
    }

    static Map<String, Object> getAtt(String id) {
        return Map.of("Fn::GetAtt", List.of(id, "Arn"));
    }

    static String report(String functionId, List<String> violations) {
        StringBuilder b = new StringBuilder(String.format("%s in %s breaks %d invariant(s) of house style 4.7:%n", functionId, TEMPLATE, violations.size()));
        violations.forEach(v -> b.append("  - ").append(v).append(System.lineSeparator()));
        return b.toString();
    }
}
