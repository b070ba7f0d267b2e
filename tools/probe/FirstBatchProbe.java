import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * Runs in a fresh JVM on a function's exact deployment classpath (the unzipped zip: classes + lib/*), outside
 * every Maven module so nothing else is loaded: builds the handler, processes one SQS message against the vendor
 * named by VENDOR_BASE_URL, and prints the JVM's uptime at three points. Used by bin/cold-start.
 */
public final class FirstBatchProbe {
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String body = args[1];
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        @SuppressWarnings("unchecked")
        RequestHandler<SQSEvent, SQSBatchResponse> handler =
                (RequestHandler<SQSEvent, SQSBatchResponse>) Class.forName(handlerClass).getDeclaredConstructor().newInstance();
        long built = System.currentTimeMillis();
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("probe-1");
        m.setReceiptHandle("probe-rh");
        m.setBody(body);
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:probe");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        SQSBatchResponse response = handler.handleRequest(event, null);
        long done = System.currentTimeMillis();
        if (!response.getBatchItemFailures().isEmpty()) throw new IllegalStateException("the probe message was not delivered");
        System.err.printf("probe: jvm_to_main_ms=%d handler_built_ms=%d first_batch_ms=%d loaded_classes=%d%n",
                t0 - jvmStart, built - jvmStart, done - jvmStart, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
}
