package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.Violation;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The User.com sandbox over real HTTP: the contract's rejections, and state served as the API does. */
class UserComSandboxTest {
    VendorStub stub;
    UserComSandbox sandbox;

    @BeforeEach
    void start() {
        stub = VendorStub.start();
        sandbox = new UserComSandbox("/api/public");
        stub.respond(sandbox);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return stub.send(method, "/api/public" + path, body, "Authorization", "Token k", "Accept", "*/*;version=2", "Content-Type", "application/json");
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body());
    }

    @Test
    void aContractBreak_is400NamingTheField_andNotServed() throws Exception {
        sandbox.company("g1", 21);
        HttpResponse<String> r = send("PUT", "/companies-by-id/g1/", "{\"name\":\"Acme\",\"phone_numbers\":\"+48 600\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("phone_numbers").get(0).asText()).isEqualTo("phone_numbers: type array (a string)");
        assertThat(sandbox.companyByCustomId("g1").has("name")).as("not served").isFalse();
        assertThat(sandbox.takeViolations()).singleElement().extracting(Violation::entry)
                .isEqualTo("endpoints[companies-by-id.update].body.fields.phone_numbers");

        HttpResponse<String> tooLong = send("POST", "/users/update_or_create/", "{\"custom_id\":\"u1\",\"first_name\":\"" + "x".repeat(41) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("first_name").get(0).asText()).isEqualTo("first_name: maxLength 40 (41 characters)");
        assertThat(sandbox.takeViolations()).singleElement().extracting(Violation::source).isEqualTo("UC update-or-create-user");

        HttpResponse<String> reserved = send("GET", "/users-by-id/a%2Fb/", null);
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(sandbox.takeViolations()).singleElement().extracting(Violation::field).isEqualTo("path.custom_id");
    }

    @Test
    void users_byIdCustomIdEmailAndKey_upsertedAndDeleted_caseSensitive() throws Exception {
        HttpResponse<String> created = send("POST", "/users/update_or_create/", "{\"custom_id\":\"Ada\",\"email\":\"ada@example.com\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("created").asBoolean()).isTrue();
        int id = json(created).get("id").asInt();
        HttpResponse<String> updated = send("POST", "/users/update_or_create/", "{\"custom_id\":\"Ada\",\"first_name\":\"Ada\"}");
        assertThat(json(updated).get("created").asBoolean()).isFalse();
        assertThat(json(updated).get("id").asInt()).isEqualTo(id);
        assertThat(sandbox.users("Ada")).singleElement().satisfies(u -> assertThat(u.get("first_name").asText()).isEqualTo("Ada"));

        assertThat(send("GET", "/users-by-id/ada/", null).statusCode()).as("custom ids are case-sensitive").isEqualTo(404);
        String key = json(send("GET", "/users-by-id/Ada/", null)).get("user_key").asText();
        assertThat(json(send("GET", "/users/" + id + "/", null)).get("custom_id").asText()).isEqualTo("Ada");
        assertThat(json(send("GET", "/users/search/?email=ada%40example.com", null)).get("id").asInt()).isEqualTo(id);
        assertThat(json(send("GET", "/users/search/?key=" + key, null)).get("id").asInt()).isEqualTo(id);

        assertThat(send("DELETE", "/users-by-id/Ada/", null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send("GET", "/users/" + id + "/", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"detail\":\"Not found.\"}");
        assertThat(send("DELETE", "/users-by-id/Ada/", null).statusCode()).isEqualTo(404);
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void readOnlyFields_areIgnored_andRecorded() throws Exception {
        sandbox.user("u1", 7, null);
        send("PUT", "/users/7/", "{\"first_name\":\"Ada\",\"id\":99,\"user_key\":\"forged\"}");
        assertThat(sandbox.users("u1")).singleElement().satisfies(u -> {
            assertThat(u.get("id").asInt()).isEqualTo(7);
            assertThat(u.get("user_key").asText()).isEqualTo("key-7");
            assertThat(u.get("first_name").asText()).isEqualTo("Ada");
        });
        assertThat(sandbox.takeViolations()).extracting(Violation::rule).containsOnly("readOnly");
    }

    @Test
    void events_siteViewsAndMembers_needTheirUserAndCompany() throws Exception {
        sandbox.user("u1", 7, null).company("g1", 21);
        assertThat(send("POST", "/users-by-id/u1/events/", "{\"name\":\"login\",\"timestamp\":1663080164}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/users-by-id/nobody/events/", "{\"name\":\"login\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/events/", "{\"user_id\":7,\"name\":\"paid\",\"data\":{\"plan\":\"pro\"}}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/events/", "{\"user_id\":8,\"name\":\"paid\"}").statusCode()).isEqualTo(404);
        assertThat(sandbox.events()).extracting(e -> e.get("user_id").asInt() + " " + e.get("name").asText()).containsExactly("7 login", "7 paid");

        assertThat(send("POST", "/site-views/", "{\"client_user\":\"key-7\",\"page_path\":\"/\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/site-views/", "{\"client_user\":\"key-8\",\"page_path\":\"/\"}").statusCode()).isEqualTo(400);
        assertThat(sandbox.siteViews()).hasSize(1);

        assertThat(send("POST", "/companies/21/add_member/", "{\"user_id\":7}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/companies/21/add_member/", "{\"user_id\":7}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/companies/22/add_member/", "{\"user_id\":7}").statusCode()).isEqualTo(404);
        assertThat(sandbox.companyByCustomId("g1").get("employees")).extracting(JsonNode::asInt).containsExactly(7);
        assertThat(send("PUT", "/companies-by-id/g2/", "{\"name\":\"Globex\"}").statusCode()).isEqualTo(404);
        assertThat(sandbox.violations()).isEmpty();
    }
}
