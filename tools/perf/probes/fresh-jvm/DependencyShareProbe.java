import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What one dependency costs a cold start on its own: in a fresh JVM on a function's deployment classpath, does the
 * first use of one thing (args[0]) and prints the milliseconds and the classes it took. Driven by
 * {@code bin/cold-start --shares}; each item runs in its own JVM, so items do not share class loading.
 */
public final class DependencyShareProbe {
    private static final String EVENT = "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"a@example.com\",\"plan\":\"pro\",\"seats\":12,\"score\":0.5}}";

    /**
     * Items that every first batch pays only after its API key read: measured on top of one GetSecretValue (untimed),
     * so their share is what they add to a function's first batch, not the SDK core they share with it.
     */
    private static final java.util.Set<String> AFTER_SECRET_READ = java.util.Set.of("sdk-s3-client", "sdk-s3-archive-put",
            "sdk-dynamodb-client", "sdk-dynamodb-suppression-get");

    public static void main(String[] args) throws Exception {
        String item = args[0];
        if (AFTER_SECRET_READ.contains(item)) getSecret(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
        long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long start = System.nanoTime();
        run(item);
        long micros = (System.nanoTime() - start) / 1000;
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classesBefore;
        System.err.printf("share: item=%s micros=%d classes=%d%n", item, micros, classes);
    }

    private static void run(String item) throws Exception {
        String vendor = System.getenv("VENDOR_BASE_URL");
        switch (item) {
            case "jackson-objectmapper" -> {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                mapper.writeValueAsString(mapper.readTree(EVENT));
            }
            case "jackson-streaming-tree" -> dev.destinations.mapping.Json.write(dev.destinations.mapping.Json.parse(EVENT));
            case "ssl-default-context" -> javax.net.ssl.SSLContext.getDefault();
            case "jdk-httpclient-get" -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create(vendor + "/probe")).build(), HttpResponse.BodyHandlers.ofString());
            case "httpurlconnection-get" -> {
                var c = (java.net.HttpURLConnection) URI.create(vendor + "/probe").toURL().openConnection();
                c.getResponseCode();
                c.getInputStream().readAllBytes();
            }
            case "sdk-secretsmanager-client" -> software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            case "sdk-secretsmanager-get" -> getSecret(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
            // the SDK clients the functions do not ship, from tools/alternatives (on the class path only for these items)
            case "sdk-secretsmanager-get-apache" -> getSecret(alternative("software.amazon.awssdk.http.apache.ApacheHttpClient"));
            case "sdk-secretsmanager-get-crt" -> getSecret(alternative("software.amazon.awssdk.http.crt.AwsCrtHttpClient"));
            case "log4j2-json-line" -> {
                java.nio.file.Path config = java.nio.file.Files.createTempFile("log4j2", ".xml");
                java.nio.file.Files.writeString(config, "<Configuration status=\"off\"><Appenders><Console name=\"out\" target=\"SYSTEM_OUT\">"
                        + "<JsonTemplateLayout/></Console></Appenders><Loggers><Root level=\"info\"><AppenderRef ref=\"out\"/></Root>"
                        + "</Loggers></Configuration>");
                System.setProperty("log4j2.configurationFile", config.toString());
                Object logger = Class.forName("org.apache.logging.log4j.LogManager").getMethod("getLogger", String.class).invoke(null, "probe");
                logger.getClass().getMethod("info", String.class).invoke(logger, "hello");
            }
            case "aws-embedded-metrics-flush" -> {
                Class<?> type = Class.forName("software.amazon.cloudwatchlogs.emf.logger.MetricsLogger");
                Object metrics = type.getConstructor().newInstance();
                type.getMethod("putMetric", String.class, double.class).invoke(metrics, "ColdStart", 1.0);
                type.getMethod("flush").invoke(metrics);
            }
            case "sdk-sqs-client" -> software.amazon.awssdk.services.sqs.SqsClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
            case "slf4j-nop" -> org.slf4j.LoggerFactory.getLogger("probe").info("hello");
            case "json-log-line" -> new dev.destinations.lambda.JsonLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "probe").info("hello");
            case "emf-metrics-flush" -> {
                var m = new dev.destinations.lambda.EmfMetrics(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "Probe", "probe");
                m.coldStart();
                m.flush();
            }
            case "custify-rules" -> new dev.destinations.custify.CustifyDestination();
            // the archive's (D53) and the offloaded bodies' (D59) S3 client, as the Lambda builds it (path-style for moto_server)
            case "sdk-s3-client" -> s3Client();
            case "sdk-s3-archive-put" -> { // the archive's write of a one-event batch: its client, gzip on its own thread, one PutObject
                String[] result = new String[1];
                new dev.destinations.lambda.EventArchive(DependencyShareProbe::s3Client, System.getenv("ARCHIVE_BUCKET"), "probe",
                        new dev.destinations.lambda.EventArchive.Listener() {
                            @Override
                            public void written(int events) {
                                result[0] = "written";
                            }

                            @Override
                            public void failed(String why) {
                                result[0] = why;
                            }
                        }).start(java.util.List.of(new dev.destinations.lambda.EventArchive.Entry("probe-1", EVENT)), "probe", java.time.Instant.now()).await();
                if (!"written".equals(result[0])) throw new IllegalStateException("the archive write failed: " + result[0]);
            }
            // the stores' DynamoDB client (deduplication, suppression), and the suppression check of a first event (D49)
            case "sdk-dynamodb-client" -> dev.destinations.lambda.DynamoDbDeliveredEvents.defaultClient();
            case "sdk-dynamodb-suppression-get" -> new dev.destinations.lambda.DynamoDbSuppressions(
                    dev.destinations.lambda.DynamoDbDeliveredEvents::defaultClient, System.getenv("SUPPRESSION_TABLE"), "probe",
                    () -> "probe-key".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, java.time.Duration.ofDays(1),
                    () -> System.currentTimeMillis() / 1000, failure -> {
                        throw new IllegalStateException("the suppression check failed: " + failure);
                    }).suppressed("u-1");
            default -> throw new IllegalArgumentException("unknown item " + item);
        }
    }

    private static void getSecret(software.amazon.awssdk.http.SdkHttpClient http) {
        software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder().httpClient(http).build()
                .getSecretValue(b -> b.secretId(System.getenv("API_KEY_SECRET_ID")));
    }

    private static software.amazon.awssdk.services.s3.S3Client s3Client() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).forcePathStyle(true).build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient alternative(String className) throws Exception {
        return (software.amazon.awssdk.http.SdkHttpClient) Class.forName(className).getMethod("create").invoke(null);
    }
}
