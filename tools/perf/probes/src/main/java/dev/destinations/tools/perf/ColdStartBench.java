package dev.destinations.tools.perf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.MotoServer;
import dev.destinations.tools.FunctionZip;
import dev.destinations.tools.Functions;
import dev.destinations.tools.local.SamTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bin/cold-start}: fresh JVMs, each on a function's exact deployment classpath (its unzipped zip), building
 * the handler and processing a first batch of one message (the function's {@code events/<slug>/identify.json})
 * against a vendor stub in another process, with the API key read from moto_server's Secrets Manager. Beside them,
 * in the same run and interleaved with them, a hello-world SQS handler on aws-lambda-java-core and -events alone.
 * Reports time, loaded classes, peak resident memory and zip size; a benchmark, it asserts nothing about time.
 */
public final class ColdStartBench {
    private static final Pattern PROBE = Pattern.compile(
            "probe: main_ms=(\\d+) handler_built_ms=(\\d+) first_batch_ms=(\\d+) batch_ms=(\\d+) batch_gc_ms=(\\d+) loaded_classes=(\\d+) batch_classes=(\\d+) peak_rss_kb=(-?\\d+)");

    /** The JVM options of Lambda's java21 runtime that shape a cold start, with a 1024 MB function's heap. */
    static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-XX:MaxHeapSize=870m");

    record Jvm(String name, String classpath, String handler, String body, Map<String, String> env, long zipBytes, int jars, boolean primed) {
        Jvm asPrimed() {
            return new Jvm(name + ", primed", classpath, handler, body, env, zipBytes, jars, true);
        }

        /** The same function deployed with ArchiveDays 0: no ARCHIVE_BUCKET, so the archive's share shows beside it. */
        Jvm withoutArchive() {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.remove("ARCHIVE_BUCKET");
            return new Jvm(name + ", ArchiveDays 0", classpath, handler, body, e, zipBytes, jars, primed);
        }
    }

    record Run(long wallMs, long mainMs, long builtMs, long firstBatchMs, long batchMs, long batchGcMs, long classes, long batchClasses, long peakRssKb) {}

    private ColdStartBench() {}

    public static void main(String[] args) throws Exception {
        int runs = 5;
        boolean shares = false;
        boolean suppression = true;
        Path alternatives = null;
        Path probeClasses = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--probe-classes" -> probeClasses = Path.of(args[++i]);
                case "--shares" -> shares = true;
                case "--suppression" -> suppression = !"off".equals(args[++i]); // off: as a stack deployed with Suppression=off
                case "--alternatives" -> alternatives = Path.of(args[++i]);
                default -> names.add(args[i]);
            }
        }
        if (probeClasses == null) throw new IllegalArgumentException("--probe-classes DIR (the compiled tools/perf/probes/fresh-jvm) is required");
        List<Functions.Spec> functions = names.isEmpty() ? Functions.ALL : names.stream().map(Functions::named).toList();
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        Path work = Files.createTempDirectory("cold-start");
        Process stub = null;
        try (MotoServer moto = MotoServer.start()) {
            stub = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                    "dev.destinations.tools.perf.StubServerMain").redirectErrorStream(true).start();
            String stubUrl = new BufferedReader(new InputStreamReader(stub.getInputStream(), StandardCharsets.UTF_8)).readLine();
            List<Jvm> jvms = new ArrayList<>();
            String archive = MotoServer.createArchiveBucket(moto.s3(), "cold-start-archive");
            // the erasure table and key, as the template's defaults (Suppression=on): every first event is checked
            String erasureTable = suppression ? MotoServer.createErasureTable(moto.dynamoDb(), "cold-start-erasure") : null;
            String erasureKey = suppression ? moto.secrets().createSecret(b -> b.name("cold-start/erasure-key").secretString("cold-start-erasure-key")).arn() : null;
            for (Functions.Spec f : functions) {
                String slug = f.destination().slug();
                Path zip = Path.of("functions", slug, "target", slug + ".zip");
                Path dir = FunctionZip.unzip(zip, work.resolve(slug));
                if (jvms.isEmpty()) jvms.add(helloWorld(dir, probeClasses));
                String secretId = "cold-start/" + slug;
                moto.secrets().createSecret(b -> b.name(secretId).secretString("{\"apiKey\":\"probe-key\"}"));
                Map<String, String> env = new LinkedHashMap<>(template.environment(f.logicalId(), Map.of()));
                env.values().removeIf(String::isEmpty); // references to stack resources; set below
                env.put("DESTINATION_SETTINGS", settings(f));
                env.put("API_KEY_SECRET_ID", secretId);
                env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
                env.put("VENDOR_BASE_URL", stubUrl);
                env.put("DLQ_URL", moto.endpoint() + "/123456789012/cold-start-dlq");
                env.put("ARCHIVE_BUCKET", archive); // ArchiveDays defaults to 7: a deployed first batch writes its archive object
                if (erasureTable != null) {
                    env.put("SUPPRESSION_TABLE", erasureTable);
                    env.put("ERASURE_KEY_SECRET_ID", erasureKey);
                }
                String handler = String.valueOf(template.functionProperty(f.logicalId(), "Handler")).replaceFirst("::.*", "");
                jvms.add(new Jvm(f.logicalId(), dir + ":" + dir.resolve("lib") + "/*:" + probeClasses, handler,
                        firstMessage(slug), env, Files.size(zip), jarCount(dir), false));
            }
            if (shares) {
                Jvm custify = jvms.get(1);
                printShares(custify, runs, alternatives);
                return;
            }
            // the same JVMs with SnapStart's priming run before the batch: the state a restored snapshot starts from
            int functionCount = jvms.size() - 1;
            for (int i = 1; i <= functionCount; i++) jvms.add(jvms.get(i).asPrimed());
            for (int i = 1; i <= 2 * functionCount; i++) jvms.add(jvms.get(i).withoutArchive());
            Map<Jvm, List<Run>> results = new LinkedHashMap<>();
            for (int run = 0; run < runs + 1; run++) {
                for (Jvm jvm : jvms) {
                    Run r = launch(jvm);
                    if (run > 0) results.computeIfAbsent(jvm, k -> new ArrayList<>()).add(r); // run 0 warms the OS page cache
                }
            }
            print(results, runs);
        } finally {
            if (stub != null) stub.destroy();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Jvm helloWorld(Path functionDir, Path probeClasses) throws IOException {
        StringBuilder cp = new StringBuilder(probeClasses.toString());
        try (Stream<Path> jars = Files.list(functionDir.resolve("lib"))) {
            jars.filter(j -> j.getFileName().toString().matches("(aws-lambda-java-(core|events)|joda-time)-.*\\.jar"))
                    .forEach(j -> cp.append(':').append(j));
        }
        return new Jvm("hello world", cp.toString(), "HelloWorldHandler", "{\"type\":\"identify\",\"userId\":\"probe-user\"}",
                Map.of(), 0, 3, false);
    }

    private static Run launch(Jvm jvm) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(jvm.handler(), jvm.body()));
        if (jvm.primed()) args.add("primed");
        long start = System.nanoTime();
        Matcher m = runProbe(jvm.classpath(), "FirstBatchProbe", args, jvm.env(), PROBE, jvm.name());
        long wall = (System.nanoTime() - start) / 1_000_000;
        return new Run(wall, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)));
    }

    /**
     * One fresh JVM with Lambda's options and a clean AWS environment (dummy credentials, then {@code env}); returns
     * the match of {@code line} in what it printed on stderr, or fails with that output.
     */
    private static Matcher runProbe(String classpath, String mainClass, List<String> args, Map<String, String> env, Pattern line, String what)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(LAMBDA_JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "probe", "AWS_SECRET_ACCESS_KEY", "probe"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = line.matcher(err);
        if (exit != 0 || !m.find()) throw new IllegalStateException(what + " failed (exit " + exit + "):\n" + err);
        return m;
    }

    private static void print(Map<Jvm, List<Run>> results, int runs) {
        System.out.printf("%d runs per JVM, interleaved; JVM options %s; %s %s, %d cores%n%n", runs, String.join(" ", LAMBDA_JVM_OPTIONS),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| JVM | first batch, ms from JVM start | x hello world | the batch alone, ms | of it GC, ms | handler built, ms | process start to exit, ms | loaded classes | of them by the batch | peak RSS, MB | zip, bytes (jars) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        long helloFirst = -1;
        for (Map.Entry<Jvm, List<Run>> e : results.entrySet()) {
            List<Run> rs = e.getValue();
            long first = median(rs.stream().mapToLong(Run::firstBatchMs).toArray());
            if (helloFirst < 0) helloFirst = first;
            Jvm j = e.getKey();
            System.out.printf("| %s | %s | %.1f | %s | %s | %s | %s | %d | %d | %s | %s |%n", j.name(), spread(rs, Run::firstBatchMs),
                    (double) first / helloFirst, spread(rs, Run::batchMs), spread(rs, Run::batchGcMs), spread(rs, Run::builtMs), spread(rs, Run::wallMs),
                    median(rs.stream().mapToLong(Run::classes).toArray()), median(rs.stream().mapToLong(Run::batchClasses).toArray()),
                    String.format("%.0f", median(rs.stream().mapToLong(Run::peakRssKb).toArray()) / 1024.0),
                    j.zipBytes() == 0 ? "-" : String.format("%,d (%d)", j.zipBytes(), j.jars()));
        }
    }

    /** Items of tools/perf/probes/fresh-jvm/DependencyShareProbe: each dependency's first use, alone in a fresh JVM. */
    static final List<String> SHARE_ITEMS = List.of("jackson-objectmapper", "jackson-streaming-tree", "custify-rules",
            "ssl-default-context", "jdk-httpclient-get", "httpurlconnection-get", "sdk-secretsmanager-client",
            "sdk-secretsmanager-get", "sdk-secretsmanager-get-apache", "sdk-secretsmanager-get-crt", "sdk-sqs-client",
            "slf4j-nop", "json-log-line", "log4j2-json-line", "emf-metrics-flush", "aws-embedded-metrics-flush",
            "sdk-s3-client", "sdk-s3-archive-put", "sdk-dynamodb-client", "sdk-dynamodb-suppression-get");
    /** Items that need the libraries of tools/perf/probes/alternatives (which the functions do not ship). */
    private static final java.util.Set<String> ALTERNATIVE_ITEMS = java.util.Set.of("sdk-secretsmanager-get-apache",
            "sdk-secretsmanager-get-crt", "log4j2-json-line", "aws-embedded-metrics-flush");
    private static final Pattern SHARE = Pattern.compile("share: item=\\S+ micros=(\\d+) classes=(\\d+)");

    private static void printShares(Jvm function, int runs, Path alternatives) throws IOException, InterruptedException {
        System.out.printf("each item alone in a fresh JVM on %s's zip, %d runs; JVM options %s%n%n", function.name(), runs,
                String.join(" ", LAMBDA_JVM_OPTIONS));
        System.out.println("| first use of | ms, median (min–max) | classes loaded |");
        System.out.println("|---|---|---|");
        for (String item : SHARE_ITEMS) {
            boolean alternative = ALTERNATIVE_ITEMS.contains(item);
            if (alternative && alternatives == null) {
                System.out.printf("| %s | not measured: no --alternatives folder | - |%n", item);
                continue;
            }
            String classpath = alternative ? function.classpath() + ":" + alternatives + "/*" : function.classpath();
            long[] ms = new long[runs];
            long classes = 0;
            Map<String, String> env = new LinkedHashMap<>(function.env());
            env.put("AWS_EMF_ENVIRONMENT", "Lambda"); // the EMF library writes to stdout, as in Lambda
            for (int r = 0; r <= runs; r++) {
                Matcher m = runProbe(classpath, "DependencyShareProbe", List.of(item), env, SHARE, item);
                if (r == 0) continue; // warms the page cache
                ms[r - 1] = Long.parseLong(m.group(1));
                classes = Long.parseLong(m.group(2));
            }
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("| %s | %.0f (%.0f–%.0f) | %d |%n", item, median(ms) / 1000.0, sorted[0] / 1000.0, sorted[sorted.length - 1] / 1000.0, classes);
        }
    }

    private static String spread(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        long[] v = runs.stream().mapToLong(f).toArray();
        return median(v) + " (" + Arrays.stream(v).min().orElse(0) + "–" + Arrays.stream(v).max().orElse(0) + ")";
    }

    static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The destination settings of events/<slug>/env.json (what `sam local invoke` would use), without any apiKey. */
    private static String settings(Functions.Spec f) throws IOException {
        String s = SamTemplate.envVars(Path.of("events", f.destination().slug(), "env.json"), f.logicalId())
                .getOrDefault("DESTINATION_SETTINGS", "{}");
        return Json.write(((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(s)).without("apiKey"));
    }

    private static String firstMessage(String slug) throws IOException {
        JsonNode event = Json.mapper().readTree(Path.of("events", slug, "identify.json").toFile());
        return event.path("Records").path(0).path("body").asText();
    }


    private static int jarCount(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
            return (int) jars.filter(p -> p.toString().endsWith(".jar")).count();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
