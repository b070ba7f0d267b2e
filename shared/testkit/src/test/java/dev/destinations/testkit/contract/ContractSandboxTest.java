package dev.destinations.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.testkit.VendorStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox base over real HTTP: breaking requests rejected and recorded, valid ones served from state. */
class ContractSandboxTest {
    /** A shop that stores what it is sent. */
    static final class ShopSandbox extends ContractSandbox {
        final List<JsonNode> stored = new ArrayList<>();

        ShopSandbox(String prefix) {
            super(VendorContractTest.SHOP, prefix);
        }

        @Override
        protected VendorStub.Reply serve(Call call) {
            if (call.endpoint().equals("users.put")) {
                stored.add(call.body());
                return json(200, call.body());
            }
            return error(404, "id", "Not found.");
        }

        @Override
        protected void clearState() {
            stored.clear();
        }
    }

    VendorStub stub;
    ShopSandbox shop;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        stub = VendorStub.start();
        shop = new ShopSandbox("/api/");
        stub.respond(shop);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HttpResponse<String> send(String method, String path, String body, boolean key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stub.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key) b.header("X-Key", "k");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBreakingRequestGetsTheVendors400NamingTheFieldAndIsRecorded() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\",\"first_name\":\"Adelaide\"}", true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"errors\":{\"first_name\":[\"first_name: maxLength 5 (8 characters)\"]}}");
        assertThat(shop.stored).as("not served").isEmpty();
        assertThat(ContractViolations.since(0)).as("recorded for the test").contains(shop.violations().get(0));
        assertThat(shop.takeViolations()).singleElement().extracting(Violation::entry).isEqualTo("endpoints[users.put].body.fields.first_name");
        assertThat(shop.violations()).isEmpty();
    }

    @Test
    void aMissingKeyIs401_anUnlistedEndpoint404() throws Exception {
        assertThat(send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\"}", false).statusCode()).isEqualTo(401);
        HttpResponse<String> unlisted = send("DELETE", "/api/users/u1/", null, true);
        assertThat(unlisted.statusCode()).isEqualTo(404);
        assertThat(unlisted.body()).isEqualTo("{\"detail\":\"Not found.\"}");
        assertThat(shop.takeViolations()).extracting(Violation::rule).containsExactly("required", "endpoint");
    }

    @Test
    void readOnlyFieldsAreRecordedAndIgnored() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\",\"created\":\"2020-01-01\"}", true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(shop.stored).singleElement().satisfies(b -> assertThat(b.has("created")).isFalse());
        assertThat(shop.takeViolations()).singleElement().extracting(Violation::rule).isEqualTo("readOnly");
    }

    @Test
    void failNext_answersWithTheContractsErrorShapeThenServes() throws Exception {
        shop.failNext(429, 1);
        HttpResponse<String> throttled = send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\"}", true);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
        assertThat(send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\"}", true).statusCode()).isEqualTo(200);
        assertThat(shop.violations()).isEmpty();
    }

    @Test
    void reset_forgetsStateViolationsAndFailures() throws Exception {
        send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\"}", true);
        shop.failNext(429, 3);
        shop.takeViolations();
        shop.reset();
        assertThat(shop.stored).isEmpty();
        assertThat(send("PUT", "/api/users/u1/", "{\"user_id\":\"u1\"}", true).statusCode()).isEqualTo(200);
    }

    @Test
    void sandboxes_routeByTheLongestPrefix_andRecordWhatNoSandboxTakes() throws Exception {
        ShopSandbox eu = new ShopSandbox("/eu.shop/api");
        ShopSandbox us = new ShopSandbox("/us.shop/api");
        Sandboxes all = new Sandboxes().add(eu).add(us);
        stub.respond(all);
        assertThat(send("PUT", "/us.shop/api/users/u1/", "{\"user_id\":\"u1\"}", true).statusCode()).isEqualTo(200);
        assertThat(us.stored).hasSize(1);
        assertThat(eu.stored).isEmpty();
        int mark = ContractViolations.mark();
        assertThat(send("PUT", "/asia.shop/api/users/u1/", "{}", true).statusCode()).isEqualTo(404);
        assertThat(all.violations()).singleElement().extracting(Violation::rule).isEqualTo("endpoint");
        List<Violation> recorded = ContractViolations.since(mark);
        assertThat(recorded).hasSize(1);
        ContractViolations.forget(recorded);
    }
}
