package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.Violation;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PX sandbox over real HTTP: what its contract and GPX-SW say PX does, as the tests and tools rely on it. */
class GainsightPxSandboxTest {
    VendorStub stub;
    GainsightPxSandbox px;

    @BeforeEach
    void start() {
        stub = VendorStub.start();
        px = new GainsightPxSandbox();
        stub.respond(px);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return stub.send(method, "/v1" + path, body, "X-APTRINSIC-API-KEY", "k", "Content-Type", "application/json");
    }

    static final String USER = "{\"identifyId\":\"Ada\",\"propertyKeys\":[\"AP-1\"],\"email\":\"ada@example.com\"}";

    @Test
    void users_areCreatedFoundAndUpdated_caseSensitively_aSecondCreateIsADuplicate() throws Exception {
        assertThat(send("POST", "/users", USER).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/users", USER).statusCode()).as("possible duplicate").isEqualTo(400);
        assertThat(send("GET", "/users/ada", null).statusCode()).as("ids are case-sensitive").isEqualTo(404);
        assertThat(send("PUT", "/users/Ada", "{\"title\":\"CTO\"}").statusCode()).isEqualTo(204);
        JsonNode user = Json.parse(send("GET", "/users/Ada", null).body());
        assertThat(user.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(user.path("title").asText()).isEqualTo("CTO");
        assertThat(send("PUT", "/users/nobody", "{\"title\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(Json.parse(send("PUT", "/accounts/nowhere", "{\"name\":\"x\"}").body()).path("externalapierror").path("status").asText())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void readOnlyFields_areIgnored_butRecordedAsViolations() throws Exception {
        send("POST", "/users", "{\"identifyId\":\"u\",\"propertyKeys\":[\"AP-1\"],\"createDate\":1,\"numberOfVisits\":3}");
        assertThat(px.user("u").has("createDate")).isFalse();
        assertThat(px.user("u").has("numberOfVisits")).isFalse();
        assertThat(px.takeViolations()).extracting(Violation::field).containsExactlyInAnyOrder("body.createDate", "body.numberOfVisits");
    }

    @Test
    void aContractBreak_isPxs400NamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/events/custom", "{\"identifyId\":\"u\",\"propertyKey\":\"AP-1\",\"userType\":\"USER\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parse(r.body()).path("externalapierror").path("subErrors").get(0).path("field").asText()).isEqualTo("eventName");
        assertThat(px.takeViolations()).extracting(Violation::field, Violation::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("body.eventName", "required"));
        assertThat(px.events()).isEmpty();

        r = send("PUT", "/users/u", "{\"gender\":\"f\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(px.takeViolations()).extracting(Violation::rule).containsExactly("enum");
    }

    @Test
    void anIdThatCannotSitInAPath_isABreak_theIdInBodyVariantsServeIt_D35() throws Exception {
        assertThat(send("POST", "/users", "{\"identifyId\":\"a/b\",\"propertyKeys\":[\"AP-1\"]}").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/users/a%2Fb", "{\"title\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(px.takeViolations()).extracting(Violation::field).containsExactly("path.identifyId");

        assertThat(send("PUT", "/users/update", "{\"identifyId\":\"a/b\",\"title\":\"CTO\"}").statusCode()).isEqualTo(204);
        assertThat(px.user("a/b").path("title").asText()).isEqualTo("CTO");
        assertThat(send("PUT", "/accounts/update", "{\"id\":\"acme;eu\",\"name\":\"Acme\",\"propertyKeys\":[\"AP-1\"]}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/accounts", "{\"id\":\"acme;eu\",\"name\":\"Acme\",\"propertyKeys\":[\"AP-1\"]}").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/accounts/update", "{\"id\":\"acme;eu\",\"name\":\"Acme EU\",\"propertyKeys\":[\"AP-1\"]}").statusCode()).isEqualTo(204);
        assertThat(px.account("acme;eu").path("name").asText()).isEqualTo("Acme EU");
        assertThat(send("DELETE", "/users/delete?hardDelete=true", "{\"identifyId\":\"a/b\"}").statusCode()).isEqualTo(204);
        assertThat(px.hasUser("a/b")).isFalse();
        assertThat(px.violations()).isEmpty();
    }

    @Test
    void aSoftDelete_hidesTheUserUntilItIsWrittenAgain_aHardDeleteIsFinal() throws Exception {
        send("POST", "/users", USER);
        assertThat(send("DELETE", "/users/Ada", null).statusCode()).isEqualTo(204);
        assertThat(px.softlyDeleted("Ada")).isTrue();
        assertThat(send("GET", "/users/Ada", null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/users/Ada", "{\"title\":\"back\"}").statusCode()).as("revived by an update").isEqualTo(204);
        assertThat(px.user("Ada").path("email").asText()).as("with what it had").isEqualTo("ada@example.com");

        assertThat(send("DELETE", "/users/Ada?hardDelete=true", null).statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/users/Ada", "{\"title\":\"again\"}").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/users/Ada", null).statusCode()).as("nothing left to delete").isEqualTo(404);
        assertThat(send("POST", "/users", "{\"identifyId\":\"Ada\",\"propertyKeys\":[\"AP-1\"]}").statusCode()).isEqualTo(201);
        assertThat(px.user("Ada").has("email")).as("a new record").isFalse();
    }

    @Test
    void customEvents_areKeptInOrder() throws Exception {
        for (String name : new String[] {"First", "Second"}) {
            assertThat(send("POST", "/events/custom", "{\"eventName\":\"" + name + "\",\"identifyId\":\"u\",\"propertyKey\":\"AP-1\",\"userType\":\"USER\"}")
                    .statusCode()).isEqualTo(201);
        }
        assertThat(px.events()).extracting(e -> e.path("eventName").asText()).containsExactly("First", "Second");
    }
}
