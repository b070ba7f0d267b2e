package dev.destinations.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Credentials;
import dev.destinations.delivery.BatchMemo;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.EventProcessor;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.SettingsSource;
import dev.destinations.delivery.VendorClient;
import dev.destinations.delivery.VendorHttp;
import dev.destinations.delivery.VendorRequest;
import dev.destinations.delivery.VendorResponse;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.VendorContract;
import dev.destinations.testkit.contract.Violation;
import dev.destinations.tools.Functions;
import dev.destinations.tools.VendorSandboxes;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark case: a file with {@code message} (the event, i.e. the SQS message body) and
 * {@code destination.Config} (the settings, API key included), the format of {@code ../shared/bench}. The files
 * there are used as they are; the types they lack are in this module's {@code cases/} resources.
 *
 * <p>The vendor is in this JVM: it records each request and answers like the vendor would on the happy path
 * (lookups find the user or company, writes succeed), so flows with lookups map their full chain. It is not the
 * vendor's sandbox (whose HTTP, locking and state would be measured too), but {@link #check} holds every request a
 * case makes to the vendor's contract, as the sandbox does.
 */
final class BenchCase<S> {
    /** What a found user or company looks like to the flows that read one (User.com and Gainsight PX lookups). */
    private static final String FOUND = "{\"id\":1,\"user_key\":\"key-1\",\"custom_id\":\"user_1234\",\"email\":\"user111@gmail.com\","
            + "\"aptrinsicId\":\"a-1\",\"identifyId\":\"user_1234\",\"name\":\"Acme Inc\"}";

    final String name;
    final String body;
    final Destination<S> destination;
    final JsonNode config;
    final Event event;
    final EventType type;
    final S settings;
    final String baseUrl;
    private final Credentials credentials;
    private final List<VendorRequest> sent = new ArrayList<>();
    private final VendorHttp recordingVendor = VendorHttp.inProcess(this::answerAndRecord);
    private final java.util.function.Function<String, java.util.Map<String, String>> headers;
    private long vendorTextLength;
    private final EventProcessor<S> processor;

    private BenchCase(String name, Destination<S> destination, String body, JsonNode config) throws IOException {
        this.name = name;
        this.destination = destination;
        this.body = body;
        this.config = config;
        this.event = Event.of(Json.parse(body));
        this.type = EventType.of(event.typeText());
        this.settings = destination.settings(config);
        this.headers = VendorClient.headersForLastKey(destination::headers); // as EventProcessor does
        this.baseUrl = destination.baseUrl(settings, null);
        String apiKey = config.path("apiKey").asText();
        this.credentials = new Credentials() {
            @Override
            public String apiKey() {
                return apiKey;
            }

            @Override
            public void refresh() {
            }
        };
        SettingsSource fixed = SettingsSource.fixed(config, apiKey);
        // the whole-event path: the vendor receives JSON text, as it would over HTTP
        VendorHttp textVendor = VendorHttp.inProcess(r -> {
            if (r.body() != null) vendorTextLength += Json.write(r.body()).length();
            return answer(r);
        });
        this.processor = new EventProcessor<>(destination, fixed, textVendor, null);
    }

    static BenchCase<?> load(String name, Path sharedBenchDir) {
        try {
            Path shared = sharedBenchDir.resolve(name + ".json");
            JsonNode file;
            if (Files.exists(shared)) {
                file = Json.parse(Files.readString(shared));
            } else {
                try (InputStream in = BenchCase.class.getResourceAsStream("/cases/" + name + ".json")) {
                    if (in == null) throw new IllegalArgumentException("no benchmark case " + name + " in " + sharedBenchDir + " or cases/");
                    file = Json.mapper().readTree(in);
                }
            }
            return new BenchCase<>(name, destinationOf(name), Json.write(file.path("message")), file.path("destination").path("Config"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The destination a case is for: its name starts with the function's slug, {@code -} as {@code _} ({@link BenchCases}). */
    private static Destination<?> destinationOf(String caseName) {
        return BenchCases.functionOf(caseName).map(Functions.Spec::destination)
                .orElseThrow(() -> new IllegalArgumentException("no function for case " + caseName));
    }

    /** The mapping step: the parsed event in, the vendor requests out (no JSON text, no HTTP). */
    List<VendorRequest> map() {
        sent.clear();
        destination.deliver(event, type, settings,
                new Delivery(new VendorClient(recordingVendor, headers, credentials), baseUrl, new BatchMemo()));
        return sent;
    }

    /** The whole event: the message body text in, the vendor JSON text out, through the function's EventProcessor. */
    Verdict wholeEvent() {
        return processor.process(body, new BatchMemo());
    }

    long vendorTextLength() {
        return vendorTextLength;
    }

    /** Fails unless the case maps to vendor requests and delivers, the same each time: the numbers must be of real work. */
    void check() {
        String first = Json.write(Json.mapper().valueToTree(describe(map())));
        String again = Json.write(Json.mapper().valueToTree(describe(map())));
        if (sent.isEmpty()) throw new IllegalStateException(name + ": no vendor request");
        List<Violation> broken = new ArrayList<>();
        VendorContract contract = VendorSandboxes.forFunction(BenchCases.functionOf(name).orElseThrow(), config).contract();
        for (VendorRequest r : map()) broken.addAll(contract.check(recorded(r), URI.create(baseUrl).getRawPath()));
        if (!broken.isEmpty()) throw new IllegalStateException(name + ": requests break the vendor's contract: " + broken);
        if (!first.equals(again)) throw new IllegalStateException(name + ": mapping the same event twice differs");
        Verdict o = wholeEvent();
        if (!o.delivered()) throw new IllegalStateException(name + ": not delivered: " + o.reason() + " " + o.detail());
    }

    /** A request as the vendor's sandbox would have recorded it: with the destination's headers (the API key's among them). */
    private VendorStub.Recorded recorded(VendorRequest r) {
        URI uri = URI.create(r.url());
        java.util.Map<String, List<String>> all = new java.util.TreeMap<>();
        headers.apply(credentials.apiKey()).forEach((k, v) -> all.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
        r.headers().forEach((k, v) -> all.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
        return new VendorStub.Recorded(r.method(), uri.getRawPath(), uri.getRawQuery(), all, r.body() == null ? "" : Json.write(r.body()));
    }

    static List<String> describe(List<VendorRequest> requests) {
        return requests.stream().map(r -> r.method() + " " + r.url() + " " + (r.body() == null ? "" : Json.write(r.body()))).toList();
    }

    private VendorResponse answerAndRecord(VendorRequest r) {
        sent.add(r);
        return answer(r);
    }

    private static VendorResponse answer(VendorRequest r) {
        return new VendorResponse(200, null, r.method().equals("GET") ? FOUND : "{\"id\":1}");
    }
}
