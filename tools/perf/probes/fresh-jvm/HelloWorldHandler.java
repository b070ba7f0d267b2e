import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;

/**
 * The baseline of bin/cold-start: the smallest honest SQS handler (it reads every body and acknowledges the batch),
 * on a classpath of only aws-lambda-java-core and aws-lambda-java-events, as a hello-world function's zip would be.
 */
public final class HelloWorldHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private long bytes;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        for (SQSEvent.SQSMessage m : event.getRecords()) bytes += m.getBody().length();
        System.out.println("hello, " + bytes + " bytes");
        return new SQSBatchResponse(new ArrayList<>());
    }
}
