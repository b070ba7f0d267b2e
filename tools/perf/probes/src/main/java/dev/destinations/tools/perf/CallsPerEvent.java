package dev.destinations.tools.perf;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.tools.local.SamTemplate;
import dev.destinations.mapping.Json;
import dev.destinations.tools.local.VendorSandbox;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.SteadyStream;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/calls-per-event}: a steady, mixed stream ({@link SteadyStream}: batches of 10 events, 2 identify,
 * 5 track, 2 page, 1 group, over 6 known users and 2 companies) through the real User.com and Gainsight PX handlers
 * against the local {@link VendorSandbox}, one function instance each, as Lambda keeps one warm. Prints vendor calls
 * per event for the first batches (every user met for the first time) and for the steady state after them (also per
 * event the destination handles: Gainsight PX skips page, D12), with
 * the instance's memory of vendor ids on (the default) and off ({@code LOOKUP_CACHE_MAX_ENTRIES=0}). A count, not a
 * timing: the same on every machine.
 */
public final class CallsPerEvent {
    private CallsPerEvent() {}

    record Count(double warmup, double steady, double steadyPerHandled) {}

    public static void main(String[] args) throws java.io.IOException {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        System.out.printf("steady stream: %d batches of 10 events (2 identify, 5 track, 2 page, 1 group), %d users, %d companies%n",
                batches, SteadyStream.USERS.size(), SteadyStream.GROUPS.size());
        System.out.println("| function | ids remembered across batches | calls/event, first " + SteadyStream.WARMUP_BATCHES
                + " batches | calls/event, steady state | per handled event, steady state |");
        System.out.println("|---|---|---|---|---|");
        for (String id : List.of("UserComFunction", "GainsightPxFunction")) {
            Functions.Spec f = Functions.byLogicalId(id).orElseThrow();
            for (String entries : List.of("0", "10000")) {
                Count c = count(f, batches, entries);
                System.out.printf("| %s | %s | %.2f | %.2f | %.2f |%n", id, entries.equals("0") ? "no (batch memo only)" : "yes (default)",
                        c.warmup(), c.steady(), c.steadyPerHandled());
            }
        }
    }

    /** Runs the stream through a fresh instance of {@code f}; every event must settle without a retry or a DLQ message. */
    static Count count(Functions.Spec f, int batches, String lookupCacheEntries) throws java.io.IOException {
        try (VendorStub sandbox = VendorStub.start()) {
            VendorSandbox vendor = new VendorSandbox(0, 1);
            sandbox.respond(vendor);
            Map<String, String> env = SamTemplate.envVars(Path.of("events", f.destination().slug(), "env.json"), f.logicalId());
            env.put("API_KEY_SECRET_ID", "arn:s");
            env.put("DLQ_URL", "https://sqs.local/1/dlq");
            env.put("VENDOR_BASE_URL", vendor.add(f, Json.parse(env.getOrDefault("DESTINATION_SETTINGS", "{}")), sandbox.baseUrl()));
            env.put("LOOKUP_CACHE_MAX_ENTRIES", lookupCacheEntries);
            InMemorySqs sqs = new InMemorySqs();
            AtomicInteger skipped = new AtomicInteger();
            DestinationHandler handler = f.handler().apply(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"k\"}"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    (c, m, t, result, o) -> { if (result == Outcome.SKIPPED) skipped.incrementAndGet(); }));
            SteadyStream.Tally t = SteadyStream.run(batches, (n, bodies) -> {
                if (n == SteadyStream.WARMUP_BATCHES) skipped.set(0);
                int before = sandbox.requests().size();
                SQSBatchResponse r = handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());
                if (!r.getBatchItemFailures().isEmpty() || !sqs.sent.isEmpty()) {
                    throw new IllegalStateException(f.logicalId() + ": batch " + n + " did not settle: "
                            + r.getBatchItemFailures().size() + " retried, " + sqs.sent.size() + " parked");
                }
                return sandbox.requests().size() - before;
            });
            return new Count(t.warmupPerEvent(), t.steadyPerEvent(), (double) t.steadyCalls() / (t.steadyEvents() - skipped.get()));
        }
    }
}
