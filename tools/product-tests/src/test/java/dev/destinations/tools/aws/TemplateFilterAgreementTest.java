package dev.destinations.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.gate.Candidate;
import dev.destinations.delivery.gate.DataControls;
import dev.destinations.delivery.gate.EventFilter;
import dev.destinations.delivery.gate.FilterGate;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.MotoServer;
import dev.destinations.tools.Functions;
import dev.destinations.tools.local.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.destinations.testkit.AwsEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * D61: the template's filter and the function's filter agree. Each destination's SNS subscription gets the filter
 * policy template.yaml builds from {@code <Name>BlockedTrackEvents} (resolved here with a list of names, as
 * CloudFormation resolves the parameter), on a real topic and queue in moto_server; a table of events is published;
 * what reaches each queue is compared with what {@link FilterGate} decides with the {@code BLOCKED_TRACK_EVENTS} the
 * same template hands the function. The template may keep less off the queue than the function filters (a padded
 * name: SNS compares exactly, the function trims), never more: an event it drops is one the function would skip.
 * Runs on LocalStack (bin/test's second pass): moto_server 5.2.1 evaluates a MessageBody policy's {@code $or} as if
 * it were on message attributes and answers 500 to every publish (moto/sns/utils.py {@code _field_match}), so there
 * the test is skipped with that reason.
 */
@Tag(AwsEndpoint.TAG)
class TemplateFilterAgreementTest {
    static final List<String> BLOCKED = List.of("Page Scrolled", "Order Completed");

    /**
     * @param templateDrops the subscription keeps a handled event of this kind off the queue
     * @param functionFilters FilterGate skips it as filtered
     */
    record Row(String name, String body, boolean templateDrops, boolean functionFilters) {}

    static final List<Row> TABLE = List.of(
            new Row("identify", "{\"type\":\"identify\",\"userId\":\"u1\"}", false, false),
            new Row("identify with a blocked event key", "{\"type\":\"identify\",\"userId\":\"u1\",\"event\":\"Page Scrolled\"}", true, true),
            new Row("group", "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\"}", false, false),
            new Row("page", "{\"type\":\"page\",\"userId\":\"u1\",\"name\":\"Page Scrolled\"}", false, false),
            new Row("userDeletion", "{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"u1\"}]}", false, false),
            new Row("track, blocked name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Page Scrolled\"}", true, true),
            new Row("track, the other blocked name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Order Completed\"}", true, true),
            new Row("Track (type in another case), blocked name", "{\"type\":\"Track\",\"userId\":\"u1\",\"event\":\"Page Scrolled\"}", true, true),
            new Row("track, unblocked name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}", false, false),
            new Row("track, blocked name in another case", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"page scrolled\"}", false, false),
            new Row("track, blocked name padded", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\" Page Scrolled \"}", false, true),
            new Row("track without a name", "{\"type\":\"track\",\"userId\":\"u1\"}", false, false),
            new Row("track, empty name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"\"}", false, false),
            new Row("track, null name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":null}", false, false),
            new Row("track, a number for a name", "{\"type\":\"track\",\"userId\":\"u1\",\"event\":42}", false, false));

    static MotoServer aws;
    static SamTemplate template;

    @BeforeAll
    static void start() throws Exception {
        Path file = Path.of("..", "..", "template.yaml");
        template = SamTemplate.load(Files.exists(file) ? file : Path.of("template.yaml"));
        aws = MotoServer.start();
        Assumptions.assumeTrue(AwsEndpoint.emulatorAt(aws.endpoint()) == AwsEndpoint.Emulator.LOCALSTACK,
                "moto_server cannot evaluate a MessageBody filter policy's $or (it reads it as message attributes): LocalStack runs this test");
    }

    @AfterAll
    static void stop() {
        if (aws != null) aws.close();
    }

    @Test
    void theTemplatesSnsFilter_dropsOnlyWhatTheFunctionFilters_onEveryDestination() throws Exception {
        for (Row row : TABLE) {
            assertThat(!row.templateDrops() || row.functionFilters()).as("table row %s: the template never drops what the function delivers", row.name()).isTrue();
        }
        SqsClient sqs = aws.sqs();
        try (SnsClient sns = SnsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String topic = sns.createTopic(b -> b.name("filter-agreement")).topicArn();
            Map<String, String> queues = new LinkedHashMap<>();
            Map<String, EventFilter> functionFilters = new LinkedHashMap<>();
            for (Functions.Spec f : Functions.ALL) {
                String name = f.logicalId().replaceFirst("Function$", "");
                // the parameter as CloudFormation hands it to both: a list, each name trimmed
                Map<String, Object> refs = Map.of(name + "BlockedTrackEvents", BLOCKED);
                Object policy = template.resolve(template.properties(name + "EventsSubscription").get("FilterPolicy"), null, refs);
                assertThat(policy).as("%sEventsSubscription's FilterPolicy resolves to text", name).isInstanceOf(String.class);
                Object env = template.resolve(variables(f.logicalId()).get("BLOCKED_TRACK_EVENTS"), null, refs);
                assertThat(env).as("%s BLOCKED_TRACK_EVENTS resolves", f.logicalId()).isEqualTo("Page Scrolled,Order Completed");
                functionFilters.put(name, EventFilter.blockedTrackEvents((String) env));

                String url = sqs.createQueue(b -> b.queueName("filter-agreement-" + f.slug())).queueUrl();
                String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
                sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn).attributes(Map.of(
                        "RawMessageDelivery", "true", "FilterPolicyScope", "MessageBody", "FilterPolicy", (String) policy)));
                queues.put(name, url);
            }
            for (Row row : TABLE) sns.publish(b -> b.topicArn(topic).message(row.body()));

            List<String> disagreements = new ArrayList<>();
            for (Functions.Spec f : Functions.ALL) {
                String name = f.logicalId().replaceFirst("Function$", "");
                Set<String> arrived = new TreeSet<>();
                for (String body : receiveAll(sqs, queues.get(name))) arrived.add(body);
                FilterGate<Object> gate = new FilterGate<>(functionFilters.get(name));
                for (Row row : TABLE) {
                    Event event = Event.of(Json.parse(row.body()));
                    EventType type = event.typeText() == null ? null : EventType.of(event.typeText());
                    boolean handled = type == null || f.handles(type); // a batch body has no type: it passes, its events are judged one by one
                    boolean queued = arrived.contains(row.body());
                    Verdict verdict = type == null ? null : gate.check(new Candidate<>(event, type, "m", () -> null, () -> DataControls.parse(Json.object()), null));
                    boolean filtered = verdict != null && verdict.reason() == Reason.FILTERED;
                    String line = "%s %s: queued=%s, FilterGate filters=%s".formatted(name, row.name(), queued, filtered);
                    System.out.println(line);
                    if (queued != (handled && !row.templateDrops()) || filtered != row.functionFilters() || (!queued && handled && !filtered)) {
                        disagreements.add(line + " (expected queued=" + (handled && !row.templateDrops()) + ", filters=" + row.functionFilters() + ")");
                    }
                }
            }
            assertThat(disagreements).as("the template's SNS filter and the function's FilterGate").isEmpty();
        }
    }

    private static Map<String, Object> variables(String functionId) {
        return SamTemplate.map(SamTemplate.map(template.properties(functionId).get("Environment")).get("Variables"));
    }

    private static List<String> receiveAll(SqsClient sqs, String url) {
        List<String> bodies = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            var got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) empty++;
            got.forEach(m -> bodies.add(m.body()));
        }
        return bodies;
    }
}
