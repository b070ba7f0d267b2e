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

    public static void main(String[] args) throws Exception {
        String item = args[0];
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
            default -> throw new IllegalArgumentException("unknown item " + item);
        }
    }

    private static void getSecret(software.amazon.awssdk.http.SdkHttpClient http) {
        software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder().httpClient(http).build()
                .getSecretValue(b -> b.secretId(System.getenv("API_KEY_SECRET_ID")));
    }

    private static software.amazon.awssdk.http.SdkHttpClient alternative(String className) throws Exception {
        return (software.amazon.awssdk.http.SdkHttpClient) Class.forName(className).getMethod("create").invoke(null);
    }
}
