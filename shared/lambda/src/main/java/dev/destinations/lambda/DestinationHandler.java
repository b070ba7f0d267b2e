package dev.destinations.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.BatchMemo;
import dev.destinations.delivery.Circuit;
import dev.destinations.delivery.DeliveredEvents;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.EventProcessor;
import dev.destinations.delivery.DailyQuota;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.KnownIds;
import dev.destinations.delivery.OffloadedPayloads;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.SettingsSource;
import dev.destinations.delivery.Suppressions;
import dev.destinations.delivery.VendorHttp;
import dev.destinations.delivery.UnknownSettingsKeys;
import dev.destinations.delivery.gate.DataControls;
import dev.destinations.mapping.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Resource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The Lambda entry point every destination shares: an SQS event in, a partial batch response out. The constructor
 * wires everything once (clients, settings, the batch runner) and validates the settings with a clear log line;
 * it makes no network call, so a SnapStart snapshot holds no secret and no connection. A function is a subclass
 * whose no-argument constructor names its {@link Destination}.
 */
public abstract class DestinationHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {
    private final BatchRunner runner;
    /** The backfill lane's runner (D57): the same processing with the backfill lane's rate budget ({@link LaneBudgets}). */
    private final BatchRunner backfillRunner;
    private final LaneBudgets lanes;
    private final EmfMetrics metrics;
    private final SecretSettingsSource settings;
    private final Destination<?> destination;
    private final FunctionConfig config;
    private final SqsClient sqs;
    private final Circuit circuit;
    private final EventArchive archive;
    /** The stores' DynamoDB client, built on first use (null without DynamoDB in the wiring). */
    private final Lazy<DynamoDbClient> dynamoDb;
    private final OffloadedPayloads payloads;
    /** With suppression on, an event's first calls are the check's (D49): its API key is read beside them (D66). */
    private final boolean readKeyAhead;
    private boolean coldStart = true;

    /** Everything the handler takes from outside, so tests and tools can pass real or local endpoints. */
    public record Wiring(Map<String, String> env, SqsClient sqs, SecretsManagerClient secrets, PrintStream out,
                         BatchRunner.Listener extraListener, Supplier<DynamoDbClient> dynamoDb, Duration quotaDay, Supplier<S3Client> s3) {
        /**
         * A UTC day for the daily quota (D38); S3 from the SDK's default chains, built on first use: by the archive's
         * first write (ARCHIVE_BUCKET, D53) or the first offloaded body (PAYLOAD_BUCKET, D59).
         */
        public Wiring(Map<String, String> env, SqsClient sqs, SecretsManagerClient secrets, PrintStream out,
                      BatchRunner.Listener extraListener, Supplier<DynamoDbClient> dynamoDb) {
            this(env, sqs, secrets, out, extraListener, dynamoDb, DailyQuota.DAY, S3Payloads::defaultClient);
        }

        /** The same with a shorter quota day: a simulation that compresses time ({@code bin/fault-run --scenario quota}). */
        public Wiring withQuotaDay(Duration day) {
            return new Wiring(env, sqs, secrets, out, extraListener, dynamoDb, day, s3);
        }

        /** The same with another S3 client (an emulator's), for the archive and offloaded bodies. */
        public Wiring withS3(Supplier<S3Client> client) {
            return new Wiring(env, sqs, secrets, out, extraListener, dynamoDb, quotaDay, client);
        }

        /** Without DynamoDB: no deduplication store, whatever DEDUP_TABLE says. */
        public Wiring(Map<String, String> env, SqsClient sqs, SecretsManagerClient secrets, PrintStream out, BatchRunner.Listener extraListener) {
            this(env, sqs, secrets, out, extraListener, null);
        }

        /**
         * The Lambda environment: environment variables, the SDK's default region and credentials chains. The SQS
         * client is built when first needed (a delivered batch never needs it); Secrets Manager is needed by
         * every first batch, so it is built here, where SnapStart's snapshot keeps it. DynamoDB's is built on the
         * first suppression check or non-idempotent event write (a supplier, called once for both stores), S3's on
         * the first archive write or offloaded body (one client for both); SnapStart's priming builds each of them
         * that every batch uses (D65).
         */
        public static Wiring fromEnvironment() {
            return new Wiring(System.getenv(),
                    new DeferredSqsClient(() -> SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()),
                    SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                    System.out, null, DynamoDbDeliveredEvents::defaultClient);
        }
    }

    protected DestinationHandler(Destination<?> destination) {
        this(destination, Wiring.fromEnvironment());
    }

    protected DestinationHandler(Destination<?> destination, Wiring wiring) {
        FunctionConfig config = FunctionConfig.from(wiring.env());
        JsonLog log = new JsonLog(wiring.out(), destination.slug());
        SecretSettingsSource settings = new SecretSettingsSource(config.settingsJson(), config.secretId(), wiring.secrets(),
                config.secretTtl(), System::nanoTime);
        validateAtColdStart(destination, config, settings, log);
        VendorHttp http = new VendorHttp(config.connectTimeout(), config.requestTimeout());
        this.settings = settings;
        this.destination = destination;
        this.config = config;
        this.sqs = wiring.sqs();
        // the circuit, the rate budget and the known ids are this instance's: shared by every message it delivers, for its lifetime
        this.circuit = config.circuitFailures() == 0 ? Circuit.never() : new Circuit(config.circuitFailures(), config.circuitOpenFor(), System::nanoTime);
        this.lanes = new LaneBudgets(config, arn -> liveQueueIdle(wiring.sqs(), arn), wiring.quotaDay(), System::nanoTime);
        KnownIds known = new KnownIds(config.knownIdsMax(), config.knownIdsTtl(), System::nanoTime);
        this.metrics = new EmfMetrics(wiring.out(), config.metricsNamespace(), destination.slug(), config.vendorDailyQuota());
        // one DynamoDB client for both stores, built on the first event that needs one (never at cold start)
        Lazy<DynamoDbClient> dynamoDb = wiring.dynamoDb() == null ? null : new Lazy<>(wiring.dynamoDb());
        this.dynamoDb = dynamoDb;
        // one S3 client for the archive and offloaded bodies, built on the first write or pointer (never at cold start)
        Supplier<S3Client> s3 = wiring.s3() == null ? null : new Lazy<>(wiring.s3());
        DeliveredEvents delivered = deliveredEvents(config, dynamoDb, log, metrics);
        Suppressions suppressions = suppressions(destination, config, dynamoDb, wiring.secrets(), log, metrics);
        this.readKeyAhead = suppressions.enabled();
        BatchRunner.Listener logs = BatchRunner.logsAndMetrics(log, metrics, destination.slug());
        BatchRunner.Listener extra = wiring.extraListener();
        BatchRunner.Listener listener = extra == null ? logs : BatchRunner.Listener.each(List.of(logs, extra));
        QueueActions queues = new QueueActions(wiring.sqs(), config.dlqUrl());
        Backoff backoff = new Backoff(config.retryBase(), config.retryMax());
        OffloadedPayloads payloads = config.payloadBucket() == null ? OffloadedPayloads.none()
                : new S3Payloads(config.payloadBucket(), config.payloadMaxBytes(), s3, failure -> {
                    log.warn("an offloaded body's object was not deleted after its message settled (" + failure + ")");
                    metrics.payloadDeleteFailed();
                });
        this.payloads = payloads;
        this.archive = archive(config, s3, destination.slug(), log, metrics);
        this.runner = new BatchRunner(new EventProcessor<>(destination, settings, http, config.baseUrlOverride(),
                this.circuit, lanes.live(), known, delivered, suppressions, config.blockedTrackEvents()), queues, backoff, config, listener, payloads, archive);
        this.backfillRunner = new BatchRunner(new EventProcessor<>(destination, settings, http, config.baseUrlOverride(),
                this.circuit, lanes.backfill(), known, delivered, suppressions, config.blockedTrackEvents()), queues, backoff, config, listener, payloads, archive);
        org.crac.Core.getGlobalContext().register(this); // SnapStart calls the hooks below; elsewhere a no-op
    }

    /**
     * SnapStart priming, before the snapshot: runs the priming events through this function's real mapping and
     * flows with an offline transport, builds the SQS client, and takes one GetSecretValue through the SDK with an
     * in-memory answer ({@link SdkPriming}), and so the AWS paths of the features that are on (D65), so all their
     * classes are loaded and warm in the snapshot. No request leaves the machine and no secret is read (a snapshot
     * must not hold one).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    /**
     * After a restore the secret is read again on first use. Connections need nothing: priming opened none, and
     * the JDK's keep-alive cache drops any connection idle for more than 5 s when it is next asked for.
     */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        settings.invalidate();
    }

    /** The priming run; returns each priming event's verdict. */
    public List<Verdict> prime() {
        if (sqs instanceof DeferredSqsClient deferred) deferred.client(); // built now, so the snapshot holds it
        SdkPriming.primeSecretsManager();
        // throw-away clients, answered in memory (D65)
        if (config.dedupTable() != null || config.suppressionTable() != null) SdkPriming.primeDynamoDb();
        if (config.suppressionTable() != null && dynamoDb != null) {
            SdkPriming.primeSuppressionCheck();
            dynamoDb.get(); // every event is checked: the snapshot holds the stores' own client
        }
        if (archive.on()) {
            SdkPriming.primeArchive(destination.slug());
            archive.buildClient(); // every batch writes: the snapshot holds the archive's own client
        }
        if (payloads instanceof S3Payloads) SdkPriming.primeOffloadedBody(); // its client stays unbuilt: pointers are rare
        JsonNode primingSettings = settings.baseSettings() == null ? Json.object() : settings.baseSettings();
        SettingsSource fixed = SettingsSource.fixed(primingSettings, "priming-not-a-key");
        EventProcessor<?> offline = new EventProcessor<>(destination, fixed, VendorHttp.offline(), "https://priming.invalid");
        List<Verdict> verdicts = new ArrayList<>();
        BatchMemo memo = new BatchMemo();
        for (JsonNode event : PrimingEvents.ALL) {
            verdicts.add(offline.process(Json.write(event), memo));
        }
        return verdicts;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (coldStart) {
            metrics.coldStart();
            coldStart = false;
        }
        int replayed = event == null || event.getRecords() == null ? 0
                : (int) event.getRecords().stream().filter(QueueActions::replayed).count();
        if (replayed > 0) metrics.replayed(replayed);
        String source = event == null || event.getRecords() == null || event.getRecords().isEmpty() ? null
                : event.getRecords().get(0).getEventSourceArn();
        Lane lane = Lane.of(source);
        metrics.lane(lane);
        if (readKeyAhead && source != null && settings.needsRead()) {
            // D66; a platform thread, as the archive's PUT: an SDK call's first run not beside the deliveries' virtual threads
            Thread.ofPlatform().daemon().name("api-key-read").start(settings::readAhead);
        }
        try {
            if (lane == Lane.BACKFILL) {
                lanes.refresh(source); // its rate, from the live queue's state (D58)
                return backfillRunner.run(event, context);
            }
            return runner.run(event, context);
        } finally {
            metrics.circuit(circuit.state() != Circuit.State.CLOSED);
            metrics.flush();
        }
    }

    /** True when the live queue holds no message, visible or in flight (D58); throws when SQS cannot say. */
    private static boolean liveQueueIdle(SqsClient sqs, String liveQueueArn) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(QueueActions.queueUrl(liveQueueArn)).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * The deduplication store when DEDUP_TABLE is set (and the wiring has DynamoDB); its failures become a WARN line
     * and the DedupUnavailable metric, naming the operation and error code only.
     */
    private static DeliveredEvents deliveredEvents(FunctionConfig config, Supplier<DynamoDbClient> dynamoDb, JsonLog log, EmfMetrics metrics) {
        if (config.dedupTable() == null || dynamoDb == null) return DeliveredEvents.none();
        return new DynamoDbDeliveredEvents(dynamoDb, config.dedupTable(), config.dedupClaim(), config.dedupWindow(),
                () -> System.currentTimeMillis() / 1000, failure -> {
                    log.warn("deduplication store unavailable, delivering without it (" + failure + ")");
                    metrics.dedupUnavailable();
                });
    }

    /**
     * The archive when ARCHIVE_BUCKET is set (and the wiring has S3); a failed write becomes a WARN line and the
     * ArchiveFailures metric, naming the error code only (D53).
     */
    private static EventArchive archive(FunctionConfig config, Supplier<S3Client> s3, String slug, JsonLog log, EmfMetrics metrics) {
        if (config.archiveBucket() == null || s3 == null) return EventArchive.off();
        return new EventArchive(s3, config.archiveBucket(), slug, new EventArchive.Listener() {
            @Override
            public void written(int events) {
                metrics.archived(events);
            }

            @Override
            public void failed(String why) {
                log.warn("archive write failed, the batch is delivered without it (" + why + ")");
                metrics.archiveFailed();
            }
        });
    }

    /**
     * The suppression store when SUPPRESSION_TABLE is set (D49): the table, this destination's name, and the erasure
     * key read from ERASURE_KEY_SECRET_ID on first use. Its failures become a WARN line and the SuppressionUnavailable
     * metric, and the event is retried (fails closed).
     */
    private static Suppressions suppressions(Destination<?> destination, FunctionConfig config, Supplier<DynamoDbClient> dynamoDb,
                                             SecretsManagerClient secrets, JsonLog log, EmfMetrics metrics) {
        if (config.suppressionTable() == null || dynamoDb == null) return Suppressions.none();
        Supplier<byte[]> key = () -> {
            if (config.erasureKeySecretId() == null) throw new IllegalStateException("ERASURE_KEY_SECRET_ID is not set");
            String text = secrets.getSecretValue(b -> b.secretId(config.erasureKeySecretId())).secretString();
            if (text == null || text.isBlank()) throw new IllegalStateException("the erasure key secret is empty");
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
        Duration suppressFor = config.suppressionDays() == 0 ? null : Duration.ofDays(config.suppressionDays());
        return new DynamoDbSuppressions(dynamoDb, config.suppressionTable(), destination.slug(), key, suppressFor,
                Duration.ofDays(config.receiptDays()), () -> System.currentTimeMillis() / 1000, failure -> {
                    log.warn("suppression store unavailable, the event is retried (" + failure + ")");
                    metrics.suppressionUnavailable();
                });
    }

    /** Logs every settings problem once per cold start; messages then retry with reason configuration (D8). */
    private static void validateAtColdStart(Destination<?> destination, FunctionConfig config, SecretSettingsSource settings, JsonLog log) {
        if (!config.problems().isEmpty()) log.warn(config.problems().strip());
        if (settings.baseProblem() != null) {
            log.error("invalid settings: " + settings.baseProblem() + "; every message will be retried until it is fixed");
        } else {
            try {
                JsonNode base = settings.baseSettings();
                for (String unknown : UnknownSettingsKeys.warnings(base, destination.settingsKeys())) log.warn(unknown);
                destination.settings(base);
                DataControls.parse(base); // consent, the event filter, dropFields: refused as any other setting
            } catch (Failure f) {
                log.error("invalid settings: " + f.getMessage() + "; every message will be retried until it is fixed");
            }
        }
        if (config.secretId() == null) log.warn("API_KEY_SECRET_ID is not set: the API key must be in DESTINATION_SETTINGS");
        if (config.suppressionTable() != null && config.erasureKeySecretId() == null) {
            log.error("SUPPRESSION_TABLE is set but ERASURE_KEY_SECRET_ID is not: every event will be retried until it is set");
        }
        if (config.dlqUrl() == null) log.error("DLQ_URL is not set: permanent failures cannot be parked and will be retried");
    }
}
