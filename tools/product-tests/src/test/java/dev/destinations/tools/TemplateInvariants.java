package dev.destinations.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * House style 4.7 for template.yaml, as code: for every {@code AWS::Serverless::Function} the list of what it breaks
 * (empty = fine). cfn-lint validates the template's syntax; this checks what cfn-lint cannot see: a visibility
 * timeout shorter than 6 x the function timeout, a redrive count below 5, a DLQ without an alarm, an SQS event
 * without ReportBatchItemFailures, IAM wider than the function's own secret, DLQ and queue, env vars that disagree
 * with the queue, functions sharing one CodeUri (one artifact for all under Fn::ForEach), secrets
 * written into the template, and a function that {@code sam build} cannot build (Makefile target, handler source).
 *
 * <p>The template is read with CloudFormation's short tags as their long forms ({@code !Ref X} = {@code {Ref: X}},
 * {@code !GetAtt A.B} = {@code {Fn::GetAtt: [A, B]}}, {@code !Sub s} = {@code {Fn::Sub: s}}, ...). A {@code Ref} to a
 * parameter resolves to the parameter's default where a number is needed.
 */
final class TemplateInvariants {
    /** The key of {@link #violations()} for findings that belong to no function. */
    static final String TEMPLATE_WIDE = "(template)";

    static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    static final String QUEUE_TYPE = "AWS::SQS::Queue";
    static final String SECRET_TYPE = "AWS::SecretsManager::Secret";
    static final String LOG_GROUP_TYPE = "AWS::Logs::LogGroup";
    static final String ALARM_TYPE = "AWS::CloudWatch::Alarm";
    static final String ROLE_TYPE = "AWS::IAM::Role";
    static final int FOURTEEN_DAYS = 14 * 24 * 3600;
    static final int MIN_MAX_RECEIVE_COUNT = 5;
    /** SQS's largest message (1 MiB): every queue and DLQ takes it. */
    static final int MAX_MESSAGE_SIZE = 1_048_576;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_NAME = Pattern.compile("KEY|TOKEN|PASSWORD");
    private static final Pattern SECRET_SETTING = Pattern.compile("(?i)api_?key|token|secret|password");

    private final Map<String, Object> template;
    private final Path repoRoot;
    private final String makefile;

    TemplateInvariants(Map<String, Object> template, Path repoRoot) {
        this.template = template;
        this.repoRoot = repoRoot;
        Path mk = repoRoot.resolve("Makefile");
        try {
            this.makefile = Files.exists(mk) ? Files.readString(mk) : null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + mk, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ loading

    /** template.yaml seen from the tools module (Maven's working directory), else from the repository root. */
    static Path locateTemplate() {
        Path fromTools = Path.of("..", "..", "template.yaml");
        return Files.exists(fromTools) ? fromTools : Path.of("template.yaml");
    }

    static TemplateInvariants forFile(Path templateFile) throws IOException {
        return new TemplateInvariants(load(templateFile), templateFile.toAbsolutePath().normalize().getParent());
    }

    static Map<String, Object> load(Path file) throws IOException {
        return dev.destinations.tools.local.SamTemplate.parse(file);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Reader yaml) {
        return dev.destinations.tools.local.SamTemplate.parse(yaml);
    }

    // ------------------------------------------------------------------------------------------------ results

    /** Every function's violations (an empty list when it is fine), then {@link #TEMPLATE_WIDE} ones. */
    Map<String, List<String>> violations() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String id : functionIds()) all.put(id, functionViolations(id));
        all.put(TEMPLATE_WIDE, templateViolations());
        return all;
    }

    List<String> functionIds() {
        return resources().entrySet().stream().filter(e -> FUNCTION_TYPE.equals(map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    /** The queue of the function's (first) SQS event, if it is a queue of this template. */
    Optional<String> queueOf(String functionId) {
        return sqsEvents(functionId).values().stream().map(e -> getAttTarget(map(e.get("Properties")).get("Queue"), "Arn"))
                .filter(Objects::nonNull).findFirst();
    }

    /** The backfill lane's queue (D57): its QueueName ends in -backfill, the suffix the function reads its lane by (Lane.of). */
    boolean isBackfillQueue(String queueId) {
        if (queueId == null) return false;
        Object name = properties(queueId).get("QueueName");
        Object text = name instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof List<?> l && !l.isEmpty() ? l.get(0)
                : name instanceof Map<?, ?> m ? m.get("Fn::Sub") : name;
        return text instanceof String t && t.endsWith("-backfill");
    }

    /** The queue's redrive target, if it is a queue of this template. */
    Optional<String> dlqOf(String queueId) {
        return Optional.ofNullable(getAttTarget(map(properties(queueId).get("RedrivePolicy")).get("deadLetterTargetArn"), "Arn"));
    }

    // ------------------------------------------------------------------------------------------------ per function

    List<String> functionViolations(String id) {
        List<String> v = new ArrayList<>();
        Map<String, Object> props = properties(id);

        // runtime settings (the function's own or Globals.Function)
        expect(v, "java21".equals(fnProp(id, "Runtime")), "Runtime is %s, not java21", fnProp(id, "Runtime"));
        expect(v, "PublishedVersions".equals(map(fnProp(id, "SnapStart")).get("ApplyOn")),
                "SnapStart.ApplyOn is %s, not PublishedVersions (SnapStart is how a Java function starts in time)",
                map(fnProp(id, "SnapStart")).get("ApplyOn"));
        expect(v, fnProp(id, "AutoPublishAlias") instanceof String a && !a.isBlank(),
                "no AutoPublishAlias: SnapStart only applies to published versions, and the event source must call the alias");
        expect(v, "Active".equals(fnProp(id, "Tracing")), "Tracing is %s, not Active", fnProp(id, "Tracing"));
        checkLogGroup(v, props);

        // sam build
        String module = checkBuild(v, id, props);
        checkHandlerSource(v, fnProp(id, "Handler"), module);
        checkOutcomeAlarms(v, module);
        checkDailyQuota(v, id, module);

        // the SQS event, its queue and DLQ
        Map<String, Map<String, Object>> events = sqsEvents(id);
        Set<String> queues = new LinkedHashSet<>();
        Set<String> dlqs = new LinkedHashSet<>();
        Object maxReceiveCount = null;
        if (events.isEmpty()) v.add("no Events entry of Type SQS: the function has no queue");
        for (var e : events.entrySet()) {
            String name = "event " + e.getKey();
            Map<String, Object> ep = map(e.getValue().get("Properties"));
            expect(v, list(ep.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
                    "%s: FunctionResponseTypes lacks ReportBatchItemFailures; without it Lambda ignores the returned failures and deletes the whole batch", name);
            expect(v, ep.get("BatchSize") != null, "%s: no BatchSize", name);
            expect(v, ep.get("MaximumBatchingWindowInSeconds") != null, "%s: no MaximumBatchingWindowInSeconds", name);
            expect(v, map(ep.get("ScalingConfig")).get("MaximumConcurrency") != null,
                    "%s: no ScalingConfig.MaximumConcurrency (the outer throttle on vendor calls)", name);
            String queue = getAttTarget(ep.get("Queue"), "Arn");
            if (queue == null || !QUEUE_TYPE.equals(type(queue))) {
                v.add(name + ": Queue is " + ep.get("Queue") + ", not !GetAtt <an AWS::SQS::Queue of this template>.Arn");
                continue;
            }
            queues.add(queue);
            Object mrc = checkQueue(v, id, queue, dlqs);
            if (maxReceiveCount == null) maxReceiveCount = mrc;
        }

        List<String> backfill = queues.stream().filter(this::isBackfillQueue).toList();
        expect(v, backfill.size() == 1, "%d backfill queues (QueueName ending in -backfill), not one (D57: the backfill lane)", backfill.size());
        expect(v, dlqs.size() == 1, "the queues' redrive goes to %s, not to one DLQ (D57: both lanes park in the same DLQ)", dlqs);
        for (var e : events.entrySet()) {
            Map<String, Object> ep = map(e.getValue().get("Properties"));
            if (!isBackfillQueue(getAttTarget(ep.get("Queue"), "Arn"))) continue;
            expect(v, "BackfillConcurrency".equals(refTarget(map(ep.get("ScalingConfig")).get("MaximumConcurrency"))),
                    "event %s: the backfill lane's MaximumConcurrency is %s, not !Ref BackfillConcurrency", e.getKey(), map(ep.get("ScalingConfig")).get("MaximumConcurrency"));
        }
        for (String queue : queues) if (!isBackfillQueue(queue)) checkEntryPoint(v, id, queue); // nothing but imports send to the backfill lane
        checkEnvironment(v, id, dlqs, maxReceiveCount);
        checkPolicies(v, id, props, queues, dlqs, secretExpression(id));
        return v;
    }

    private void checkLogGroup(List<String> v, Map<String, Object> props) {
        String logGroup = refTarget(map(props.get("LoggingConfig")).get("LogGroup"));
        if (logGroup == null || !LOG_GROUP_TYPE.equals(type(logGroup))) {
            v.add("LoggingConfig.LogGroup is " + map(props.get("LoggingConfig")).get("LogGroup")
                    + ", not !Ref <an AWS::Logs::LogGroup of this template> (the function's own log group with a retention)");
        } else {
            expect(v, properties(logGroup).get("RetentionInDays") != null, "log group %s has no RetentionInDays", logGroup);
        }
    }

    /** Checks Metadata/CodeUri and the Makefile target; returns the function's module folder if the Makefile names it. */
    private String checkBuild(List<String> v, String id, Map<String, Object> props) {
        expect(v, "makefile".equals(map(resource(id).get("Metadata")).get("BuildMethod")),
                "Metadata.BuildMethod is %s, not makefile (sam build's Maven builder breaks on multi-module parents)",
                map(resource(id).get("Metadata")).get("BuildMethod"));
        checkCodeUri(v, id, props.get("CodeUri"));
        if (makefile == null) {
            v.add("no Makefile next to template.yaml (sam build runs make build-" + id + ")");
            return null;
        }
        String module = moduleOf(id);
        boolean explicit = Pattern.compile("(?m)^build-" + Pattern.quote(id) + "\\s*:").matcher(makefile).find();
        boolean pattern = Pattern.compile("(?m)^build-%\\s*:").matcher(makefile).find();
        expect(v, explicit || (module != null && pattern),
                "no build-%s target: the root Makefile has no build-%% rule, or %s's CodeUri Makefile sets no MODULE", id, id);
        if (module != null) {
            expect(v, Files.exists(repoRoot.resolve("functions").resolve(module).resolve("pom.xml")),
                    "%s's CodeUri Makefile builds it from functions/%s, which has no pom.xml", id, module);
        }
        return module;
    }

    /**
     * The function's CodeUri is a folder of its own whose Makefile includes the root one: {@code sam build} runs
     * {@code make build-<LogicalId>} there, and under Fn::ForEach a CodeUri without the loop variable (one folder for
     * every function) would deploy one function's code as all of them ({@link #templateViolations} checks that no two
     * functions share one).
     */
    private void checkCodeUri(List<String> v, String id, Object codeUri) {
        Path makefileHere = codeUri instanceof String c ? repoRoot.resolve(c).resolve("Makefile") : null;
        if (makefileHere == null || !Files.isRegularFile(makefileHere)) {
            v.add("CodeUri is " + describe(codeUri) + ", not a folder with a Makefile (sam build runs make build-" + id + " in it)");
            return;
        }
        try {
            Matcher include = Pattern.compile("(?m)^include\\s+(?:\\$\\(dir \\$\\(lastword \\$\\(MAKEFILE_LIST\\)\\)\\))?(\\S+)\\s*$")
                    .matcher(Files.readString(makefileHere));
            boolean root = false;
            while (include.find()) root |= makefileHere.getParent().resolve(include.group(1)).normalize().equals(repoRoot.resolve("Makefile").normalize());
            expect(v, root, "%s does not include the root Makefile (its build-%s target)", repoRoot.relativize(makefileHere), id);
        } catch (IOException e) {
            v.add("cannot read " + makefileHere + ": " + e);
        }
    }

    private void checkHandlerSource(List<String> v, Object handler, String module) {
        if (!(handler instanceof String h) || !h.contains("::")) {
            v.add("Handler is " + handler + ", not <class>::<method>");
            return;
        }
        String className = h.substring(0, h.indexOf("::"));
        String source = "src/main/java/" + className.replace('.', '/') + ".java";
        if (module != null) {
            expect(v, Files.exists(repoRoot.resolve("functions").resolve(module).resolve(source)),
                    "Handler class %s: no functions/%s/%s", className, module, source);
            return;
        }
        try (Stream<Path> modules = Files.isDirectory(repoRoot.resolve("functions")) ? Files.list(repoRoot.resolve("functions")) : Stream.empty()) {
            expect(v, modules.anyMatch(m -> Files.exists(m.resolve(source))), "Handler class %s: no functions/*/%s", className, source);
        } catch (IOException e) {
            v.add("cannot list functions/: " + e);
        }
    }

    /** Checks the queue and its DLQ; adds the DLQ to {@code dlqs}; returns the redrive maxReceiveCount expression. */
    private Object checkQueue(List<String> v, String functionId, String queue, Set<String> dlqs) {
        Map<String, Object> qp = properties(queue);
        expect(v, encrypted(qp), "queue %s: no SqsManagedSseEnabled: true nor KmsMasterKeyId", queue);
        expect(v, Integer.valueOf(MAX_MESSAGE_SIZE).equals(intValue(qp.get("MaximumMessageSize"))),
                "queue %s: MaximumMessageSize %s, not SQS's most %d (the 256 KiB default refuses Segment's batches)", queue, qp.get("MaximumMessageSize"), MAX_MESSAGE_SIZE);
        Integer visibility = qp.containsKey("VisibilityTimeout") ? intValue(qp.get("VisibilityTimeout")) : Integer.valueOf(30);
        Object timeoutExpr = fnProp(functionId, "Timeout");
        Integer timeout = timeoutExpr == null ? Integer.valueOf(3) : intValue(timeoutExpr);
        if (visibility == null || timeout == null) {
            v.add("queue " + queue + ": cannot resolve VisibilityTimeout " + qp.get("VisibilityTimeout") + " or function Timeout " + timeoutExpr);
        } else {
            expect(v, visibility >= 6 * timeout,
                    "queue %s: VisibilityTimeout %d is below 6 x the function Timeout %d = %d (in-flight records would be received twice)",
                    queue, visibility, timeout, 6 * timeout);
        }

        Map<String, Object> redrive = map(qp.get("RedrivePolicy"));
        if (redrive.isEmpty()) {
            v.add("queue " + queue + ": no RedrivePolicy (a poison message would be retried until it expires)");
            return null;
        }
        Object mrcExpr = redrive.get("maxReceiveCount");
        Integer mrc = intValue(mrcExpr);
        expect(v, mrc != null && mrc >= MIN_MAX_RECEIVE_COUNT, "queue %s: RedrivePolicy maxReceiveCount %s (= %s) is below %d",
                queue, mrcExpr, mrc, MIN_MAX_RECEIVE_COUNT);
        String param = refTarget(mrcExpr);
        if (param != null && parameter(param) != null) {
            Integer min = intValue(parameter(param).get("MinValue"));
            expect(v, min != null && min >= MIN_MAX_RECEIVE_COUNT,
                    "parameter %s (queue %s's maxReceiveCount) needs MinValue >= %d so a deployment cannot lower it",
                    param, queue, MIN_MAX_RECEIVE_COUNT);
        }

        String dlq = getAttTarget(redrive.get("deadLetterTargetArn"), "Arn");
        if (dlq == null || !QUEUE_TYPE.equals(type(dlq)) || dlq.equals(queue)) {
            v.add("queue " + queue + ": RedrivePolicy deadLetterTargetArn is " + redrive.get("deadLetterTargetArn")
                    + ", not !GetAtt <another AWS::SQS::Queue of this template>.Arn");
            return mrcExpr;
        }
        dlqs.add(dlq);
        checkRetryWindow(v, functionId, queue, mrc, intValue(qp.get("MessageRetentionPeriod")));
        if (!isBackfillQueue(queue)) checkBacklogAlarm(v, queue); // a backfill's oldest message is as old as its import
        Map<String, Object> dp = properties(dlq);
        Integer retention = intValue(dp.get("MessageRetentionPeriod"));
        expect(v, retention != null && retention == FOURTEEN_DAYS, "DLQ %s: MessageRetentionPeriod %s, not %d (14 days)",
                dlq, dp.get("MessageRetentionPeriod"), FOURTEEN_DAYS);
        expect(v, encrypted(dp), "DLQ %s: no SqsManagedSseEnabled: true nor KmsMasterKeyId", dlq);
        expect(v, Integer.valueOf(MAX_MESSAGE_SIZE).equals(intValue(dp.get("MaximumMessageSize"))),
                "DLQ %s: MaximumMessageSize %s, not %d (a parked body is the body unchanged)", dlq, dp.get("MaximumMessageSize"), MAX_MESSAGE_SIZE);
        checkDlqAlarm(v, dlq);
        return mrcExpr;
    }

    /** Alarms on the function's own EMF metrics: parked messages and the retry rate (dimension Destination = module). */
    private void checkOutcomeAlarms(List<String> v, String module) {
        if (module == null) return;
        for (String metric : List.of("Parked", "Retried")) {
            boolean found = resources().values().stream().map(TemplateInvariants::map)
                    .filter(r -> ALARM_TYPE.equals(r.get("Type"))).map(r -> map(r.get("Properties")))
                    .anyMatch(p -> "CsDestinations".equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                            && list(p.get("Dimensions")).stream().map(TemplateInvariants::map)
                                    .anyMatch(d -> "Destination".equals(d.get("Name")) && module.equals(d.get("Value"))));
            expect(v, found, "no alarm on CsDestinations %s with Destination = %s", metric, module);
        }
    }

    /**
     * D38: the function knows its destination's daily quota (env VENDOR_DAILY_QUOTA from a parameter, empty = none),
     * and an alarm divides the calls of the last hour, times 24, by the quota the function reports (EMF
     * VendorDailyQuota): the day's use at that rate, raised at 80% and quiet without a quota (no data, notBreaching).
     */
    private void checkDailyQuota(List<String> v, String id, String module) {
        Object quota = environment(id).get("VENDOR_DAILY_QUOTA");
        String param = refTarget(quota);
        expect(v, param != null && parameter(param) != null && String.valueOf(parameter(param).get("AllowedPattern")).startsWith("^$|"),
                "env VENDOR_DAILY_QUOTA is %s, not !Ref of a parameter that may be empty (no quota)", quota == null ? null : describe(quota));
        if (module == null) return;
        boolean found = resources().values().stream().map(TemplateInvariants::map)
                .filter(r -> ALARM_TYPE.equals(r.get("Type"))).map(r -> map(r.get("Properties")))
                .anyMatch(p -> metricOf(p, "VendorCalls", module) && metricOf(p, "VendorDailyQuota", module)
                        && "80".equals(String.valueOf(p.get("Threshold"))) && "notBreaching".equals(p.get("TreatMissingData")));
        expect(v, found, "no alarm at 80 (missing data not breaching) on CsDestinations VendorCalls over VendorDailyQuota with Destination = %s", module);
    }

    /** Whether an alarm's metric math reads the CsDestinations metric {@code name} of destination {@code module}. */
    private static boolean metricOf(Map<String, Object> alarm, String name, String module) {
        return list(alarm.get("Metrics")).stream().map(m -> map(map(map(m).get("MetricStat")).get("Metric")))
                .anyMatch(m -> "CsDestinations".equals(m.get("Namespace")) && name.equals(m.get("MetricName"))
                        && list(m.get("Dimensions")).stream().map(TemplateInvariants::map)
                                .anyMatch(d -> "Destination".equals(d.get("Name")) && module.equals(d.get("Value"))));
    }

    /**
     * Retries end by time (RETRY_WINDOW_SECONDS): over the longest window a deployment may set, the receives a
     * failing message can take (each at least half its backoff ceiling: the jitter is in the upper half) must stay
     * below maxReceiveCount, or SQS's redrive would move it to the DLQ first, without a reason; the queue must keep it
     * that long; and the backoff cap bounds how late a message is delivered after a vendor recovers (15 minutes).
     */
    private void checkRetryWindow(List<String> v, String functionId, String queue, Integer maxReceiveCount, Integer retention) {
        Map<String, Object> env = environment(functionId);
        Integer base = intValue(env.get("RETRY_BASE_SECONDS"));
        Integer cap = intValue(env.get("RETRY_MAX_SECONDS"));
        Object windowExpr = env.get("RETRY_WINDOW_SECONDS");
        String windowParam = refTarget(windowExpr);
        Integer window = windowParam != null && parameter(windowParam) != null && parameter(windowParam).get("MaxValue") != null
                ? intValue(parameter(windowParam).get("MaxValue")) : intValue(windowExpr);
        if (base == null || cap == null || window == null) {
            v.add("env RETRY_BASE_SECONDS, RETRY_MAX_SECONDS or RETRY_WINDOW_SECONDS (with its parameter's MaxValue) cannot be resolved");
            return;
        }
        int receives = receivesWithin(window, base, cap);
        expect(v, maxReceiveCount != null && maxReceiveCount > receives,
                "queue %s: maxReceiveCount %s does not cover the retry window: a message retried for %d s takes up to %d receives (backoff %d..%d s)",
                queue, maxReceiveCount, window, receives, base, cap);
        expect(v, retention != null && retention >= window + cap, "queue %s: MessageRetentionPeriod %s is shorter than the retry window %d s plus the backoff cap",
                queue, retention, window);
        expect(v, cap <= 900, "RETRY_MAX_SECONDS %d: after a vendor recovers, a message would wait up to that long (at most 900: 15 minutes)", cap);
    }

    /** Receives of a message that fails until {@code windowSeconds} have passed, each retry waiting its least backoff. */
    static int receivesWithin(int windowSeconds, int base, int cap) {
        long elapsed = 0;
        int receives = 0;
        while (elapsed < windowSeconds) {
            receives++;
            long ceiling = Math.min(cap, (long) base << Math.min(receives - 1, 20));
            elapsed += Math.max(1, ceiling / 2);
        }
        return receives + 1; // and the receive that parks it
    }

    /** A queue whose oldest message keeps ageing is not draining (event source disabled, throttled to 0, an outage). */
    private void checkBacklogAlarm(List<String> v, String queue) {
        boolean found = resources().values().stream().map(TemplateInvariants::map).filter(r -> ALARM_TYPE.equals(r.get("Type")))
                .map(r -> map(r.get("Properties")))
                .anyMatch(p -> "AWS/SQS".equals(p.get("Namespace")) && "ApproximateAgeOfOldestMessage".equals(p.get("MetricName"))
                        && list(p.get("Dimensions")).stream().map(TemplateInvariants::map)
                                .anyMatch(d -> "QueueName".equals(d.get("Name")) && queue.equals(getAttTarget(d.get("Value"), "QueueName"))));
        expect(v, found, "queue %s: no alarm on AWS/SQS ApproximateAgeOfOldestMessage (a backlog that is not draining goes unseen)", queue);
    }

    private void checkDlqAlarm(List<String> v, String dlq) {
        List<String> alarms = resources().entrySet().stream()
                .filter(e -> ALARM_TYPE.equals(map(e.getValue()).get("Type")))
                .filter(e -> {
                    Map<String, Object> p = map(map(e.getValue()).get("Properties"));
                    return "AWS/SQS".equals(p.get("Namespace")) && "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))
                            && list(p.get("Dimensions")).stream().map(TemplateInvariants::map)
                                    .anyMatch(d -> "QueueName".equals(d.get("Name")) && dlq.equals(getAttTarget(d.get("Value"), "QueueName")));
                })
                .map(Map.Entry::getKey).toList();
        if (alarms.isEmpty()) {
            v.add("DLQ " + dlq + ": no AWS::CloudWatch::Alarm on AWS/SQS ApproximateNumberOfMessagesVisible with QueueName !GetAtt " + dlq + ".QueueName");
            return;
        }
        for (String alarm : alarms) {
            Map<String, Object> p = properties(alarm);
            Integer threshold = intValue(p.get("Threshold"));
            Object op = p.get("ComparisonOperator");
            boolean firesOnOne = threshold != null && (("GreaterThanThreshold".equals(op) && threshold == 0)
                    || ("GreaterThanOrEqualToThreshold".equals(op) && threshold == 1));
            expect(v, firesOnOne, "alarm %s: %s %s does not fire on the first message in DLQ %s (use GreaterThanThreshold 0)", alarm, op, p.get("Threshold"), dlq);
        }
    }

    private void checkEnvironment(List<String> v, String id, Set<String> dlqs, Object maxReceiveCount) {
        Map<String, Object> env = environment(id);
        if (maxReceiveCount != null) {
            Object fnMrc = env.get("MAX_RECEIVE_COUNT");
            expect(v, fnMrc != null && sameValue(fnMrc, maxReceiveCount),
                    "env MAX_RECEIVE_COUNT is %s, not the queue's RedrivePolicy maxReceiveCount %s (the function must know which receive is the last)",
                    fnMrc, maxReceiveCount);
        }
        // a deletion's second pass (D62) must come after every write that checked the store before the deletion: those
        // end within the function's timeout
        Integer secondPass = intValue(env.get("ERASURE_SECOND_PASS_SECONDS"));
        Integer timeout = intValue(fnProp(id, "Timeout"));
        expect(v, secondPass != null && timeout != null && (secondPass == 0 || secondPass > timeout),
                "env ERASURE_SECOND_PASS_SECONDS is %s, not above the function's Timeout %s (a write in flight during a deletion could land after its second pass)",
                env.get("ERASURE_SECOND_PASS_SECONDS"), timeout);
        Object dlqUrl = env.get("DLQ_URL");
        expect(v, refTarget(dlqUrl) != null && dlqs.contains(refTarget(dlqUrl)),
                "env DLQ_URL is %s, not !Ref of the queue's DLQ %s", dlqUrl, dlqs.isEmpty() ? "(none)" : dlqs);
        Object secret = env.get("API_KEY_SECRET_ID");
        if (secret == null) {
            v.add("env API_KEY_SECRET_ID is missing");
        } else {
            List<Object> choices = secretChoices(secret);
            List<String> refs = refsIn(choices);
            boolean onlyRefs = choices != null && refs.stream().allMatch(r -> SECRET_TYPE.equals(type(r)) || parameter(r) != null) && !refs.isEmpty()
                    && literalLeaves(choices).isEmpty();
            expect(v, onlyRefs, "env API_KEY_SECRET_ID is %s, not a reference to an AWS::SecretsManager::Secret or a parameter", secret);
        }
        env.forEach((name, value) -> {
            boolean literal = !isIntrinsic(value) && value != null && !String.valueOf(value).isEmpty();
            expect(v, !(SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).find() && literal),
                    "env %s has a literal value: secrets go in Secrets Manager, never in the template", name);
            String resolved = constant(value);
            if (resolved != null && resolved.trim().startsWith("{")) {
                for (String key : secretSettings(resolved)) {
                    v.add("env " + name + " (" + describe(value) + ") holds a value for '" + key + "': it belongs in the secret");
                }
            }
        });
    }

    private void checkPolicies(List<String> v, String id, Map<String, Object> props, Set<String> queues, Set<String> dlqs, Object secret) {
        if (props.containsKey("Policies")) {
            v.add("Policies on the function: the SAM transform then makes a role of its own and attaches AWS managed policies "
                    + "(for an SQS event AWSLambdaSQSQueueExecutionRole, every queue); give it Role: !GetAtt <its AWS::IAM::Role>.Arn");
        }
        String role = getAttTarget(props.get("Role"), "Arn");
        if (role == null || !ROLE_TYPE.equals(type(role))) {
            v.add("Role is " + describe(props.get("Role")) + ", not !GetAtt <an AWS::IAM::Role of this template>.Arn");
            return;
        }
        String logGroup = refTarget(map(props.get("LoggingConfig")).get("LogGroup"));
        Map<String, Object> env = environment(id);
        roleViolations(v, role, resource(role), new FunctionResources(queues, dlqs, secret, logGroup,
                resources().keySet().stream().filter(t -> TABLE_TYPE.equals(type(t))).collect(java.util.stream.Collectors.toSet()),
                refTarget(chosen(env.get("SUPPRESSION_TABLE"))), chosen(env.get("ERASURE_KEY_SECRET_ID")),
                resources().keySet().stream().filter(t -> BUCKET_TYPE.equals(type(t))).collect(java.util.stream.Collectors.toSet()), slug(id)));
    }

    static final String TOPIC_TYPE = "AWS::SNS::Topic";
    static final String SUBSCRIPTION_TYPE = "AWS::SNS::Subscription";
    static final String QUEUE_POLICY_TYPE = "AWS::SQS::QueuePolicy";
    static final String RULE_TYPE = "AWS::Events::Rule";

    /**
     * The one entry point (ingestion.md, routes): the queue subscribes to the template's topic with raw delivery and
     * a body filter that lets through exactly the types its destination handles (and batch bodies), and its queue
     * policy lets exactly that topic, and its own events rule if the template has rules, send to it. The rule
     * targets this queue alone and its pattern is the same filter (types handled, the same blocked names).
     */
    private void checkEntryPoint(List<String> v, String functionId, String queue) {
        List<String> subscriptions = resources().keySet().stream().filter(id -> SUBSCRIPTION_TYPE.equals(type(id))
                && queue.equals(getAttTarget(properties(id).get("Endpoint"), "Arn"))).toList();
        if (subscriptions.size() != 1) {
            v.add("queue " + queue + " has " + subscriptions.size() + " SNS subscriptions, not one to the events topic");
        }
        Set<String> handled = Functions.byLogicalId(functionId).map(f -> java.util.stream.Stream.concat(f.destination().handledTypes().stream(),
                        dev.destinations.delivery.Erasure.EVERY_DESTINATION.stream()) // the erasure messages: every destination takes them (D64)
                .map(dev.destinations.mapping.EventType::wireName).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))).orElse(null);
        for (String sub : subscriptions) {
            Map<String, Object> p = properties(sub);
            String topic = refTarget(p.get("TopicArn"));
            expect(v, topic != null && TOPIC_TYPE.equals(type(topic)), "subscription %s: TopicArn is %s, not !Ref <the template's SNS topic>", sub, describe(p.get("TopicArn")));
            expect(v, "sqs".equals(p.get("Protocol")), "subscription %s: Protocol is %s, not sqs", sub, p.get("Protocol"));
            expect(v, Boolean.TRUE.equals(p.get("RawMessageDelivery")),
                    "subscription %s: RawMessageDelivery is not true: the queue would get SNS envelopes instead of the events", sub);
            expect(v, "MessageBody".equals(p.get("FilterPolicyScope")), "subscription %s: FilterPolicyScope is %s, not MessageBody (the filter is on the event's type)", sub, p.get("FilterPolicyScope"));
            List<Object> branches = list(map(filterPolicy(p.get("FilterPolicy"))).get("$or"));
            Set<String> types = new java.util.TreeSet<>();
            boolean batches = false;
            for (Object b : branches) {
                for (Object t : list(map(b).get("type"))) types.add(String.valueOf(map(t).get("equals-ignore-case")));
                // SNS's exists matches leaf values only: a batch body is let through by a leaf of its events (D63)
                batches |= list(map(map(b).get("batch")).get("type")).contains(Map.of("exists", true));
            }
            expect(v, handled != null && types.equals(handled), "subscription %s: the filter lets through types %s, but %s handles %s", sub, types, functionId, handled);
            expect(v, batches, "subscription %s: the filter drops {\"batch\": [...]} bodies (no branch on batch.type exists: SNS's exists matches leaf values only)", sub);
            expectSameBlockedNames(v, "subscription " + sub + "'s filter", p.get("FilterPolicy"), functionId);
        }
        // EventBridge, when the template has rules: one of its own targets this queue and nothing else, so its pattern
        // can be this destination's filter: the types it handles, minus the names the function filters (D61)
        List<String> allRules = resources().keySet().stream().filter(id -> RULE_TYPE.equals(type(id))).toList();
        List<String> rules = allRules.stream().filter(id -> ruleTargets(id, queue)).toList();
        if (!allRules.isEmpty() && rules.size() != 1) v.add("queue " + queue + " is the target of " + rules.size() + " EventBridge rules, not of one of its own");
        for (String rule : rules) {
            Map<String, Object> p = properties(rule);
            expect(v, list(p.get("Targets")).size() == 1, "rule %s has %d targets, not only %s: its pattern is one destination's filter", rule, list(p.get("Targets")).size(), queue);
            Map<String, Object> detail = map(map(filterPolicy(p.get("EventPattern"))).get("detail"));
            Set<String> types = new java.util.TreeSet<>();
            for (Object t : list(detail.get("type"))) types.add(String.valueOf(map(t).get("equals-ignore-case")));
            expect(v, handled != null && types.equals(handled), "rule %s: the pattern lets through types %s, but %s handles %s", rule, types, functionId, handled);
            expectSameBlockedNames(v, "rule " + rule + "'s pattern", p.get("EventPattern"), functionId);
        }
        List<String> policies = resources().keySet().stream().filter(id -> QUEUE_POLICY_TYPE.equals(type(id))
                && list(properties(id).get("Queues")).stream().anyMatch(q -> queue.equals(refTarget(q)))).toList();
        if (policies.size() != 1) v.add("queue " + queue + " has " + policies.size() + " queue policies, not one");
        for (String policy : policies) {
            expect(v, list(properties(policy).get("Queues")).size() == 1, "queue policy %s covers more than one queue", policy);
            boolean fromTopic = false;
            for (Object st : list(map(properties(policy).get("PolicyDocument")).get("Statement"))) {
                Map<String, Object> s = map(st);
                if (s.get("Fn::If") instanceof List<?> l && l.size() == 3) s = map(l.get(1)); // a conditional statement: check its statement
                String sid = "queue policy " + policy + " statement " + s.get("Sid");
                String service = String.valueOf(map(s.get("Principal")).get("Service"));
                Object source = map(map(s.get("Condition")).get("ArnEquals")).get("aws:SourceArn");
                expect(v, "Allow".equals(s.get("Effect")) && list(s.get("Action")).equals(List.of("sqs:SendMessage")),
                        "%s: allows %s, not sqs:SendMessage alone", sid, describe(s.get("Action")));
                expect(v, queue.equals(getAttTarget(s.get("Resource"), "Arn")), "%s: Resource is %s, not the queue %s", sid, describe(s.get("Resource")), queue);
                if (service.equals("sns.amazonaws.com")) {
                    String topic = refTarget(source);
                    fromTopic |= topic != null && TOPIC_TYPE.equals(type(topic));
                    expect(v, topic != null && TOPIC_TYPE.equals(type(topic)), "%s: SNS may send from %s, not only the events topic", sid, describe(source));
                } else if (service.equals("events.amazonaws.com")) {
                    String rule = getAttTarget(source, "Arn");
                    expect(v, rule != null && RULE_TYPE.equals(type(rule)) && ruleTargets(rule, queue),
                            "%s: EventBridge may send from %s, not only the queue's own events rule", sid, describe(source));
                } else {
                    v.add(sid + ": principal " + describe(s.get("Principal")) + " is neither the topic's SNS nor the rule's EventBridge");
                }
            }
            expect(v, fromTopic, "queue policy %s does not let the events topic send", policy);
        }
    }

    /**
     * What a function's role may name: its own queue(s), DLQ, secret expression and log group (logical ids).
     *
     * @param tables       the template's tables (every function shares them)
     * @param erasureTable the table SUPPRESSION_TABLE names (logical id), or null: only through its own leading keys
     * @param erasureKey   the secret ERASURE_KEY_SECRET_ID names (its Ref), or null
     * @param buckets      the template's archive buckets (every function writes under its own prefix)
     * @param slug         the function's destination slug (its descriptor's): its archive prefix
     */
    record FunctionResources(Set<String> queues, Set<String> dlqs, Object secret, String logGroup, Set<String> tables,
                             String erasureTable, Object erasureKey, Set<String> buckets, String slug) {}

    /** The function's destination slug, from its descriptor; null for a function the tools do not know. */
    /** Whether one of {@code rule}'s targets is {@code queue}'s ARN. */
    private boolean ruleTargets(String rule, String queue) {
        return list(properties(rule).get("Targets")).stream().anyMatch(t -> queue.equals(getAttTarget(map(t).get("Arn"), "Arn")));
    }

    /** A filter built from the parameters the function's BLOCKED_TRACK_EVENTS reads, so both drop the same names (D61). */
    private void expectSameBlockedNames(List<String> v, String what, Object filter, String functionId) {
        List<String> functionReads = refsIn(environment(functionId).get("BLOCKED_TRACK_EVENTS"));
        expect(v, !functionReads.isEmpty() && refsIn(filter).containsAll(functionReads),
                "%s reads %s, not the names the function filters (BLOCKED_TRACK_EVENTS reads %s)", what, refsIn(filter), functionReads);
    }

    static String slug(String functionId) {
        return Functions.byLogicalId(functionId).map(f -> f.destination().slug()).orElse(null);
    }

    /** The value an environment variable takes when its condition holds: the second element of an Fn::If, else itself. */
    static Object chosen(Object value) {
        return value instanceof Map<?, ?> m && m.get("Fn::If") instanceof List<?> l && l.size() == 3 ? l.get(1) : value;
    }

    /** The actions a function needs, and on what; the X-Ray ones take no resource. Anything else is too much. */
    private static final Set<String> QUEUE_ACTIONS = Set.of("sqs:receivemessage", "sqs:deletemessage", "sqs:getqueueattributes", "sqs:changemessagevisibility");
    private static final Set<String> SEND_ACTIONS = Set.of("sqs:sendmessage");
    private static final Set<String> SECRET_ACTIONS = Set.of("secretsmanager:getsecretvalue");
    private static final Set<String> LOG_ACTIONS = Set.of("logs:createlogstream", "logs:putlogevents");
    /** Claim, complete and release a delivered event write: never scan or query a table. */
    private static final Set<String> TABLE_ACTIONS = Set.of("dynamodb:putitem", "dynamodb:updateitem", "dynamodb:deleteitem");
    /** Read, record and lift a suppression (D49), on the erasure table and only under the destination's own leading keys. */
    private static final Set<String> SUPPRESSION_ACTIONS = Set.of("dynamodb:getitem", "dynamodb:putitem", "dynamodb:deleteitem");
    /** The receipts' partition key: a deletion's receipt is one item every destination updates. */
    static final String RECEIPTS_KEY = "receipts";
    static final String TABLE_TYPE = "AWS::DynamoDB::Table";
    static final String BUCKET_TYPE = "AWS::S3::Bucket";
    /** Write a batch's archive object (D53): never read, list or delete. */
    private static final Set<String> ARCHIVE_ACTIONS = Set.of("s3:putobject");
    private static final Set<String> TRACE_ACTIONS = Set.of("xray:puttracesegments", "xray:puttelemetryrecords");
    /** D59: an offloaded body is read, and deleted once settled, in the PayloadBucketName bucket only; ListBucket there makes a missing object a 404. */
    private static final Set<String> PAYLOAD_OBJECT_ACTIONS = Set.of("s3:getobject", "s3:deleteobject");
    static final Map<String, Object> PAYLOAD_OBJECTS = Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${PayloadBucketName}/*");
    static final Map<String, Object> PAYLOAD_BUCKET = Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${PayloadBucketName}");

    /**
     * Least privilege for one function role, in the template as written or as the SAM transform turns it out
     * (TransformedTemplateTest): trusted by Lambda only, no managed policy, and each inline statement grants only the
     * actions above, on exactly the function's own resources.
     */
    static void roleViolations(List<String> v, String roleId, Map<String, Object> role, FunctionResources own) {
        Map<String, Object> props = map(role.get("Properties"));
        for (Object arn : list(props.get("ManagedPolicyArns"))) {
            v.add("role " + roleId + " has managed policy " + describe(arn) + ": its scope is not this function's resources");
        }
        List<Object> trust = list(map(props.get("AssumeRolePolicyDocument")).get("Statement"));
        expect(v, trust.size() == 1 && list(map(map(trust.get(0)).get("Principal")).get("Service")).equals(List.of("lambda.amazonaws.com")),
                "role %s is not trusted by lambda.amazonaws.com alone: %s", roleId, describe(trust));
        Set<String> granted = new java.util.HashSet<>();
        Set<String> sendsTo = new java.util.HashSet<>(); // logical ids sqs:SendMessage is allowed on
        boolean readsOwnSecret = false;
        for (Object policy : list(props.get("Policies"))) {
            for (Object st : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                Map<String, Object> s = map(st);
                if (s.get("Fn::If") instanceof List<?> l && l.size() == 3) s = map(l.get(1)); // a conditional statement: check its statement
                String sid = "role " + roleId + " statement " + (s.get("Sid") != null ? s.get("Sid") : s.get("Action"));
                expect(v, !s.containsKey("NotResource") && !s.containsKey("NotAction"), "%s: NotResource/NotAction grant everything else", sid);
                if (!"Allow".equals(s.get("Effect"))) continue;
                List<String> actions = list(s.get("Action")).stream().map(a -> String.valueOf(a).toLowerCase(Locale.ROOT)).toList();
                List<Object> resources = list(s.get("Resource"));
                if (resources.isEmpty()) v.add(sid + ": no Resource");
                for (Object written : list(s.get("Action"))) {
                    String action = String.valueOf(written), a = action.toLowerCase(Locale.ROOT);
                    granted.add(a);
                    if (SECRET_ACTIONS.contains(a) && own.secret() != null && resources.contains(own.secret())) readsOwnSecret = true;
                    if (a.contains("*")) v.add(sid + ": wildcard action " + action);
                    else if (TRACE_ACTIONS.contains(a)) expect(v, resources.equals(List.of("*")), "%s: %s takes Resource \"*\" alone", sid, action);
                    else if (QUEUE_ACTIONS.contains(a)) expect(v, onlyArnsOf(resources, own.queues()), "%s: %s on %s, not exactly this function's queue %s", sid, action, describe(resources), own.queues());
                    else if (SEND_ACTIONS.contains(a)) { // parking in the DLQ; re-queueing a batch body's failed events (D19)
                        Set<String> ownQueues = new java.util.HashSet<>(own.dlqs());
                        ownQueues.addAll(own.queues());
                        expect(v, onlyArnsOf(resources, ownQueues), "%s: %s on %s, not exactly this function's DLQ %s or queue %s", sid, action,
                                describe(resources), own.dlqs().isEmpty() ? "(none)" : own.dlqs(), own.queues());
                        resources.forEach(r -> sendsTo.add(getAttTarget(r, "Arn")));
                    }
                    else if (SECRET_ACTIONS.contains(a)) expect(v, own.secret() != null && !resources.isEmpty()
                                    && resources.stream().allMatch(r -> r.equals(own.secret()) || (own.erasureKey() != null && r.equals(own.erasureKey()))),
                            "%s: %s on %s, not exactly this function's secret (API_KEY_SECRET_ID %s) or the erasure key (%s)", sid, action,
                            describe(resources), describe(own.secret()), describe(own.erasureKey()));
                    else if (own.erasureTable() != null && onlyArnsOf(resources, Set.of(own.erasureTable()))) {
                        // the erasure table: a destination's own suppressions (<slug>#...), and the receipts, nothing else
                        List<String> leading = list(map(map(s.get("Condition")).get(a.equals("dynamodb:updateitem") ? "ForAllValues:StringEquals"
                                : "ForAllValues:StringLike")).get("dynamodb:LeadingKeys")).stream().map(String::valueOf).toList();
                        if (a.equals("dynamodb:updateitem")) {
                            expect(v, leading.equals(List.of(RECEIPTS_KEY)), "%s: %s on the erasure table with leading keys %s, not exactly [%s]",
                                    sid, action, leading, RECEIPTS_KEY);
                        } else {
                            expect(v, SUPPRESSION_ACTIONS.contains(a) && leading.size() == 1 && leading.get(0).matches("[a-z0-9-]+#\\*"),
                                    "%s: %s on the erasure table with leading keys %s, not one destination's own '<slug>#*'", sid, action, leading);
                        }
                    }
                    else if (TABLE_ACTIONS.contains(a)) expect(v, onlyArnsOf(resources, own.tables()) && !resources.stream()
                                    .map(r -> getAttTarget(r, "Arn")).toList().contains(own.erasureTable()),
                            "%s: %s on %s, not exactly the deduplication table %s", sid, action, describe(resources), own.tables());
                    else if (ARCHIVE_ACTIONS.contains(a)) expect(v, !resources.isEmpty() && resources.stream().allMatch(r -> ownArchivePrefix(r, own)),
                            "%s: %s on %s, not exactly ${<archive bucket %s>.Arn}/%s/* (its own slug's prefix)", sid, action,
                            describe(resources), own.buckets(), own.slug());
                    else if (PAYLOAD_OBJECT_ACTIONS.contains(a)) expect(v, resources.equals(List.of(PAYLOAD_OBJECTS)),
                            "%s: %s on %s, not exactly the objects of the PayloadBucketName bucket", sid, action, describe(resources));
                    else if (a.equals("s3:listbucket")) expect(v, resources.equals(List.of(PAYLOAD_BUCKET)),
                            "%s: %s on %s, not exactly the PayloadBucketName bucket", sid, action, describe(resources));
                    else if (LOG_ACTIONS.contains(a)) expect(v, own.logGroup() != null && onlyArnsOf(resources, Set.of(own.logGroup())),
                            "%s: %s on %s, not exactly this function's log group %s", sid, action, describe(resources), own.logGroup());
                    else v.add(sid + ": " + action + " is not an action this function needs");
                }
                boolean onlyTraces = !actions.isEmpty() && TRACE_ACTIONS.containsAll(actions);
                for (Object r : resources) {
                    boolean archivePrefix = ARCHIVE_ACTIONS.containsAll(actions) && ownArchivePrefix(r, own); // objects under its prefix: an allowed "/*"
                    if (!onlyTraces && !archivePrefix && !r.equals(PAYLOAD_OBJECTS) && leaves(r).stream().anyMatch(leaf -> leaf.contains("*"))) {
                        v.add(sid + ": wildcard Resource " + describe(r) + "; name the resource");
                    }
                }
            }
        }
        for (String needed : QUEUE_ACTIONS) expect(v, granted.contains(needed), "role %s does not allow %s on the function's queue (the SQS event source and the retry backoff)", roleId, needed);
        expect(v, own.dlqs().stream().anyMatch(sendsTo::contains), "role %s does not allow sqs:SendMessage on the function's DLQ (parking permanent failures)", roleId);
        expect(v, own.queues().stream().anyMatch(sendsTo::contains),
                "role %s does not allow sqs:SendMessage on the function's queue (re-queueing the failed events of a batch body, D19)", roleId);
        expect(v, readsOwnSecret, "role %s does not allow secretsmanager:GetSecretValue on the function's secret", roleId);
        expect(v, granted.containsAll(LOG_ACTIONS), "role %s does not allow logs:CreateLogStream and logs:PutLogEvents on the function's log group", roleId);
        expect(v, granted.contains("xray:puttracesegments"), "role %s does not allow xray:PutTraceSegments (Tracing: Active)", roleId);
    }

    /** {@code Fn::Sub "${<bucket>.Arn}/<own slug>/*"} (the loop's FindInMap resolved) with a bucket of the template. */
    static boolean ownArchivePrefix(Object resource, FunctionResources own) {
        if (!(map(resource).get("Fn::Sub") instanceof String sub) || own.slug() == null) return false;
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.Arn}/" + Pattern.quote(own.slug()) + "/\\*").matcher(sub);
        return m.matches() && own.buckets().contains(m.group(1));
    }

    private static boolean onlyArnsOf(List<Object> resources, Set<String> ids) {
        return !resources.isEmpty() && resources.stream().map(r -> getAttTarget(r, "Arn")).allMatch(id -> id != null && ids.contains(id));
    }

    // ------------------------------------------------------------------------------------------------ template wide

    List<String> templateViolations() {
        List<String> v = new ArrayList<>();
        if (functionIds().isEmpty()) v.add("no " + FUNCTION_TYPE + " in the template");
        resources().forEach((id, r) -> {
            if (containsKey(r, "SecretString")) {
                v.add(id + " sets SecretString: a secret value in the template ends up in the stack's history; use GenerateSecretString");
            }
            if (ROLE_TYPE.equals(map(r).get("Type"))) {
                // a role is checked with its function (roleViolations: X-Ray alone takes "*"); so it must have one
                if (functionIds().stream().noneMatch(f -> id.equals(getAttTarget(properties(f).get("Role"), "Arn")))) {
                    v.add(id + " is the role of no function: roles are per function and checked with it");
                }
            } else if (!FUNCTION_TYPE.equals(map(r).get("Type"))) {
                wildcardResources(r, v, id);
            }
        });
        if (!functionIds().isEmpty()) {
            Object globalPolicies = map(map(template.get("Globals")).get("Function")).get("Policies");
            if (globalPolicies != null) v.add("Globals.Function.Policies: permissions are per function");
        }
        // an events rule sends to one function's queue (checked with that function) and nothing else
        Set<String> queues = new java.util.TreeSet<>();
        functionIds().forEach(f -> queueOf(f).ifPresent(queues::add));
        resources().keySet().stream().filter(id -> RULE_TYPE.equals(type(id))).forEach(rule -> list(properties(rule).get("Targets")).forEach(t -> {
            String target = getAttTarget(map(t).get("Arn"), "Arn");
            expect(v, queues.contains(target), "rule %s targets %s, which is no function's queue", rule, describe(map(t).get("Arn")));
        }));
        resources().keySet().stream().filter(id -> BUCKET_TYPE.equals(type(id))).forEach(bucket -> archiveBucketViolations(v, bucket));
        // one folder (and so one artifact) for several functions: under Fn::ForEach, a CodeUri without the loop variable
        shared("CodeUri", id -> Optional.ofNullable(properties(id).get("CodeUri")).map(String::valueOf), v);
        shared("Makefile module", id -> Optional.ofNullable(moduleOf(id)), v);
        return v;
    }

    /**
     * The archive bucket (D53, D55): encrypted by default, closed to the public, unversioned (an expired object is gone,
     * no older version keeps personal data) and every object expired after a parameter's days.
     */
    private void archiveBucketViolations(List<String> v, String bucket) {
        Map<String, Object> p = properties(bucket);
        List<Object> sse = list(map(p.get("BucketEncryption")).get("ServerSideEncryptionConfiguration"));
        expect(v, !sse.isEmpty() && sse.stream().allMatch(r -> map(map(r).get("ServerSideEncryptionByDefault")).get("SSEAlgorithm") != null),
                "%s has no default encryption (BucketEncryption)", bucket);
        Map<String, Object> block = map(p.get("PublicAccessBlockConfiguration"));
        expect(v, List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets").stream().allMatch(k -> Boolean.TRUE.equals(block.get(k))),
                "%s does not block public access (PublicAccessBlockConfiguration, all four true)", bucket);
        expect(v, !"Enabled".equals(map(p.get("VersioningConfiguration")).get("Status")),
                "%s is versioned: an expired or deleted object would live on as an older version", bucket);
        List<Object> rules = list(map(p.get("LifecycleConfiguration")).get("Rules"));
        expect(v, rules.stream().map(TemplateInvariants::map).anyMatch(r -> "Enabled".equals(r.get("Status")) && !r.containsKey("Prefix")
                        && !r.containsKey("Filter") && parameter(refTarget(r.get("ExpirationInDays"))) != null),
                "%s has no enabled lifecycle rule expiring every object after a parameter's days (ArchiveDays)", bucket);
    }

    private void shared(String what, Function<String, Optional<String>> of, List<String> v) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (String id : functionIds()) of.apply(id).ifPresent(x -> users.computeIfAbsent(x, k -> new ArrayList<>()).add(id));
        users.forEach((x, ids) -> {
            if (ids.size() > 1) v.add("functions " + ids + " share the " + what + " " + x + ": each function has its own (a CodeUri without the loop variable?)");
        });
    }

    private static void wildcardResources(Object node, List<String> v, String where) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, val) -> {
                if ("Resource".equals(k) && leaves(val).stream().anyMatch(s -> s.contains("*"))) {
                    v.add(where + ": wildcard Resource " + describe(val));
                }
                wildcardResources(val, v, where);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(x -> wildcardResources(x, v, where));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    Map<String, Object> resources() {
        return map(template.get("Resources"));
    }

    Map<String, Object> resource(String id) {
        return map(resources().get(id));
    }

    Map<String, Object> properties(String id) {
        return map(resource(id).get("Properties"));
    }

    private Object type(String id) {
        return resource(id).get("Type");
    }

    private Map<String, Object> parameter(String name) {
        Object p = map(template.get("Parameters")).get(name);
        return p == null ? null : map(p);
    }

    private Object fnProp(String id, String name) {
        Object own = properties(id).get(name);
        return own != null ? own : map(map(template.get("Globals")).get("Function")).get(name);
    }

    /** Globals.Function.Environment.Variables overlaid with the function's own. */
    Map<String, Object> environment(String id) {
        Map<String, Object> env = new LinkedHashMap<>(map(map(map(map(template.get("Globals")).get("Function")).get("Environment")).get("Variables")));
        env.putAll(map(map(properties(id).get("Environment")).get("Variables")));
        return env;
    }

    private Map<String, Map<String, Object>> sqsEvents(String id) {
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        map(properties(id).get("Events")).forEach((name, e) -> {
            if ("SQS".equals(map(e).get("Type"))) events.put(name, map(e));
        });
        return events;
    }

    private Object secretExpression(String id) {
        return environment(id).get("API_KEY_SECRET_ID");
    }

    /** The module folder (under functions/) that the function's CodeUri Makefile names in {@code MODULE := <folder>}. */
    private String moduleOf(String id) {
        if (!(properties(id).get("CodeUri") instanceof String codeUri)) return null;
        Path mk = repoRoot.resolve(codeUri).resolve("Makefile");
        try {
            Matcher m = Pattern.compile("(?m)^MODULE\\s*:?=\\s*(\\S+)\\s*$").matcher(Files.exists(mk) ? Files.readString(mk) : "");
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private boolean encrypted(Map<String, Object> queueProps) {
        Object sse = queueProps.get("SqsManagedSseEnabled");
        return Boolean.TRUE.equals(sse) || "true".equalsIgnoreCase(String.valueOf(sse)) || queueProps.get("KmsMasterKeyId") != null;
    }

    /** Two expressions for the same value: the same intrinsic, or the same constant. */
    private boolean sameValue(Object a, Object b) {
        if (Objects.equals(a, b)) return true;
        if (!isIntrinsic(a) && !isIntrinsic(b)) return String.valueOf(a).equals(String.valueOf(b));
        return false;
    }

    /** A scalar, or a Ref to a parameter's default; null when only a deployment knows the value. */
    private String constant(Object expr) {
        if (expr == null) return null;
        if (!isIntrinsic(expr)) return expr instanceof Map || expr instanceof List ? null : String.valueOf(expr);
        String ref = refTarget(expr);
        if (ref != null && parameter(ref) != null && parameter(ref).get("Default") != null) return String.valueOf(parameter(ref).get("Default"));
        return null;
    }

    private Integer intValue(Object expr) {
        String c = constant(expr);
        if (c == null) return null;
        try {
            return Integer.valueOf(c.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A subscription's FilterPolicy as SNS gets it with the parameter defaults (the template builds it with Fn::Join). */
    Object filterPolicy(Object property) {
        return json(dev.destinations.tools.local.SamTemplate.of(template).resolve(property, property));
    }

    /** A property of type Json: the object, or the object its text holds (CloudFormation takes both). */
    static Object json(Object value) {
        if (!(value instanceof String text)) return value;
        try {
            return JSON.readValue(text, Map.class);
        } catch (IOException notJson) {
            return value;
        }
    }

    private static List<String> secretSettings(String json) {
        List<String> found = new ArrayList<>();
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && node.isObject()) {
                node.properties().forEach(e -> {
                    if (SECRET_SETTING.matcher(e.getKey()).find() && !(e.getValue().isTextual() && e.getValue().asText().isEmpty()) && !e.getValue().isNull()) {
                        found.add(e.getKey());
                    }
                });
            }
        } catch (IOException notJson) {
            // not JSON: nothing to inspect
        }
        return found;
    }

    static boolean isIntrinsic(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.size() != 1) return false;
        String key = String.valueOf(m.keySet().iterator().next());
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    /** X for {@code {Ref: X}} (also {@code !Sub "${X}"}), else null. */
    static String refTarget(Object expr) {
        if (expr instanceof Map<?, ?> m && m.size() == 1) {
            if (m.get("Ref") instanceof String s) return s;
            if (m.get("Fn::Sub") instanceof String s && s.matches("\\$\\{[A-Za-z0-9]+}")) return s.substring(2, s.length() - 1);
        }
        return null;
    }

    /** X for {@code {Fn::GetAtt: [X, attribute]}} (also the "X.attribute" and {@code !Sub "${X.attribute}"} forms), else null. */
    static String getAttTarget(Object expr, String attribute) {
        if (!(expr instanceof Map<?, ?> m) || m.size() != 1) return null;
        Object g = m.get("Fn::GetAtt");
        if (g instanceof List<?> l && l.size() == 2 && attribute.equals(l.get(1)) && l.get(0) instanceof String s) return s;
        if (g instanceof String s && s.endsWith("." + attribute)) return s.substring(0, s.length() - attribute.length() - 1);
        if (m.get("Fn::Sub") instanceof String s && s.matches("\\$\\{[A-Za-z0-9]+\\." + Pattern.quote(attribute) + "}")) {
            return s.substring(2, s.indexOf('.'));
        }
        return null;
    }

    /**
     * What a secret expression can evaluate to: itself, the branches of an {@code Fn::If}, or the two of the
     * template's first-ARN-of form ({@code !Sub ["arn:${Rest}", {Rest: !Select [1, !Split ["arn:", !Join ["", [A, B,
     * "arn:"]]]]}]}: A if it is an ARN, else B; Fn::ForEach cannot name a per-destination condition); null for any
     * other shape around them.
     */
    static List<Object> secretChoices(Object expr) {
        Map<String, Object> m = map(expr);
        if (m.get("Fn::If") instanceof List<?> l && l.size() == 3) return List.of(l.get(1), l.get(2));
        if (m.get("Fn::Sub") instanceof List<?> sub && sub.size() == 2 && "arn:${Rest}".equals(sub.get(0))
                && map(sub.get(1)).size() == 1 && map(map(sub.get(1)).get("Rest")).get("Fn::Select") instanceof List<?> select
                && select.size() == 2 && "1".equals(String.valueOf(select.get(0)))
                && map(select.get(1)).get("Fn::Split") instanceof List<?> split && split.size() == 2 && "arn:".equals(split.get(0))
                && map(split.get(1)).get("Fn::Join") instanceof List<?> join && join.size() == 2 && "".equals(join.get(0))
                && join.get(1) instanceof List<?> parts && parts.size() == 3 && "arn:".equals(parts.get(2))) {
            return List.of(parts.get(0), parts.get(1));
        }
        return isIntrinsic(expr) && !m.containsKey("Fn::Sub") ? List.of(expr) : null;
    }

    /** Every Ref target inside an expression. */
    private static List<String> refsIn(Object expr) {
        List<String> refs = new ArrayList<>();
        if (expr instanceof Map<?, ?> m) {
            if (m.get("Ref") instanceof String s) refs.add(s);
            else m.values().forEach(x -> refs.addAll(refsIn(x)));
        } else if (expr instanceof List<?> l) {
            l.forEach(x -> refs.addAll(refsIn(x)));
        }
        return refs;
    }

    /** The literal values an expression can evaluate to (outside Ref/GetAtt targets and Fn::If condition names). */
    private static List<Object> literalLeaves(Object expr) {
        List<Object> out = new ArrayList<>();
        if (expr instanceof Map<?, ?> m) {
            if (m.containsKey("Ref") || m.containsKey("Fn::GetAtt")) return out;
            if (m.get("Fn::If") instanceof List<?> l && l.size() == 3) {
                out.addAll(literalLeaves(l.get(1)));
                out.addAll(literalLeaves(l.get(2)));
                return out;
            }
            m.values().forEach(x -> out.addAll(literalLeaves(x)));
        } else if (expr instanceof List<?> l) {
            l.forEach(x -> out.addAll(literalLeaves(x)));
        } else if (expr != null) {
            out.add(expr);
        }
        return out;
    }

    /** Every string inside an expression. */
    private static List<String> leaves(Object expr) {
        List<String> out = new ArrayList<>();
        if (expr instanceof Map<?, ?> m) m.values().forEach(x -> out.addAll(leaves(x)));
        else if (expr instanceof Collection<?> c) c.forEach(x -> out.addAll(leaves(x)));
        else if (expr != null) out.add(String.valueOf(expr));
        return out;
    }

    private static boolean containsKey(Object node, String key) {
        if (node instanceof Map<?, ?> m) return m.containsKey(key) || m.values().stream().anyMatch(x -> containsKey(x, key));
        if (node instanceof List<?> l) return l.stream().anyMatch(x -> containsKey(x, key));
        return false;
    }

    /** An expression in the template's own short form, for messages. */
    static String describe(Object expr) {
        if (expr instanceof Map<?, ?> m && isIntrinsic(m)) {
            var e = m.entrySet().iterator().next();
            String tag = "!" + String.valueOf(e.getKey()).replace("Fn::", "");
            if (e.getValue() instanceof List<?> l && tag.equals("!GetAtt")) return tag + " " + l.get(0) + "." + l.get(1);
            return tag + " " + describe(e.getValue());
        }
        if (expr instanceof List<?> l) return l.stream().map(TemplateInvariants::describe).toList().toString();
        if (expr instanceof String s) return s.isEmpty() || s.contains(" ") || s.contains("*") ? "\"" + s + "\"" : s;
        return String.valueOf(expr);
    }

    private static void expect(List<String> violations, boolean ok, String format, Object... args) {
        if (!ok) {
            Object[] shown = new Object[args.length];
            for (int i = 0; i < args.length; i++) shown[i] = args[i] instanceof Map || args[i] instanceof List ? describe(args[i]) : args[i];
            violations.add(String.format(format, shown));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) return List.of();
        return o instanceof List<?> l ? (List<Object>) l : List.of(o);
    }
}
