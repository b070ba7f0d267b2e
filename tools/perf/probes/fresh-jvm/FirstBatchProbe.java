import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs in a fresh JVM on a function's exact deployment classpath (the unzipped zip: classes + lib/*), outside
 * every Maven module so nothing else is loaded: builds the handler named in args[0], processes one SQS message
 * (body args[1]) and prints one line: the JVM's uptime when main starts, when the handler is built and when the
 * batch is done, how long the batch itself took (and how much of it was garbage collection), the classes loaded (in all, and by the batch itself: what priming
 * left for it), and the process's peak resident memory.
 * With args[2] = "primed", the handler's SnapStart priming runs before the batch (what a snapshot restores).
 * Driven by bin/cold-start.
 */
public final class FirstBatchProbe {
    public static void main(String[] args) throws Exception {
        long t0 = uptime();
        @SuppressWarnings("unchecked")
        RequestHandler<SQSEvent, SQSBatchResponse> handler =
                (RequestHandler<SQSEvent, SQSBatchResponse>) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long built = uptime();
        if (args.length > 2 && args[2].equals("primed")) handler.getClass().getMethod("prime").invoke(handler);
        long batchStart = uptime();
        long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long gcBefore = gcMillis();
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("probe-1");
        m.setReceiptHandle("probe-rh");
        m.setBody(args[1]);
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:probe");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        SQSBatchResponse response = handler.handleRequest(event, null);
        long done = uptime();
        if (response == null || !response.getBatchItemFailures().isEmpty()) throw new IllegalStateException("the probe message was not delivered");
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        System.err.printf("probe: main_ms=%d handler_built_ms=%d first_batch_ms=%d batch_ms=%d batch_gc_ms=%d loaded_classes=%d batch_classes=%d peak_rss_kb=%d%n",
                t0, built, done, done - batchStart, gcMillis() - gcBefore, classes, classes - classesBefore, peakRssKb());
    }

    /** The JVM's garbage collection pauses so far, ms: a pause inside the batch is part of its time. */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** VmHWM: the most resident memory this process has had (Linux). */
    private static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }
}
