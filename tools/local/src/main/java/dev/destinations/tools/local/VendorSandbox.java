package dev.destinations.tools.local;

import dev.destinations.testkit.VendorStub;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for all three vendors on one {@link VendorStub}: every write is accepted (201 with an id for a
 * POST, 204 for a PUT to an account, 200 otherwise), every lookup finds a record, so each flow runs to its final
 * request. A seeded failure rate injects 503s and 429s (with Retry-After) to show retries; 0 by default.
 */
public final class VendorSandbox {
    private final AtomicInteger ids = new AtomicInteger(100);
    private final Random random;
    private final double failureRate;

    public VendorSandbox(double failureRate, long seed) {
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    public VendorStub.Reply answer(VendorStub.Recorded request) {
        if (failureRate > 0) {
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < failureRate / 2) return VendorStub.Reply.json(503, "{\"error\":\"sandbox: injected outage\"}");
            if (roll < failureRate) return VendorStub.Reply.json(429, "{\"error\":\"sandbox: injected throttle\"}").withHeader("Retry-After", "1");
        }
        int id = ids.incrementAndGet();
        String record = "{\"id\":" + id + ",\"user_key\":\"sandbox-key-" + id + "\",\"custom_id\":\"sandbox-" + id + "\",\"results\":[{\"id\":" + id
                + ",\"user_key\":\"sandbox-key-" + id + "\"}]}";
        return switch (request.method()) {
            case "POST" -> VendorStub.Reply.json(request.path().endsWith("/add_member/") ? 200 : 201, record);
            case "PUT" -> request.path().contains("/accounts/") ? VendorStub.Reply.status(204) : VendorStub.Reply.json(200, record);
            default -> VendorStub.Reply.json(200, record);
        };
    }
}
