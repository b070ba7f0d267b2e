package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** userDeletion at User.com (D48), against its sandbox: DELETE /users-by-id/<custom_id>/, the trailing slash kept; unknown = done. */
class UserComDeletionTest {
    static final String PREFIX = "/acme.user.com/api/public";
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    final List<Verdict> outcomes = Collections.synchronizedList(new ArrayList<>());

    void run(String body) {
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{\"appSubdomain\":\"acme\"}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + PREFIX);
        new UserComHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"uc-key\"}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, t, r, o) -> outcomes.add(o)))
                .handleRequest(SqsEvents.ofBodies(body), TestContext.of30Seconds());
    }

    @Test
    void eachUserIsDeletedByCustomId_anUnknownOneCountsAsDone_andIsGoneAfterwards() {
        UserComSandbox userCom = new UserComSandbox(PREFIX).user("user-1", 27, null);
        stub.respond(userCom);

        run("{\"type\":\"userDeletion\",\"messageId\":\"d-1\",\"userAttributes\":[{\"userId\":\"user-1\"},{\"userId\":\"nobody\"}]}");

        assertThat(outcomes).extracting(Verdict::delivered).containsExactly(true);
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("DELETE " + PREFIX + "/users-by-id/user-1/", "DELETE " + PREFIX + "/users-by-id/nobody/");
        assertThat(userCom.users("user-1")).as("gone").isEmpty();
        assertThat(userCom.violations()).isEmpty();
    }

    @Test
    void anIdNoPathCanHold_isDeletedByItsNumericId_D33() {
        UserComSandbox userCom = new UserComSandbox(PREFIX);
        stub.respond(userCom);
        run("{\"type\":\"identify\",\"userId\":\"team/ada\",\"traits\":{\"firstName\":\"Ada\"}}");
        int before = stub.requests().size();

        run("{\"type\":\"userDeletion\",\"messageId\":\"d-2\",\"userAttributes\":[{\"userId\":\"team/ada\"}]}");

        assertThat(outcomes).extracting(Verdict::delivered).containsExactly(true, true);
        assertThat(stub.requests().subList(before, stub.requests().size())).extracting(r -> r.method() + " " + r.rawPath().replaceAll("/[0-9]+/$", "/<id>/"))
                .containsExactly("POST " + PREFIX + "/users/update_or_create/", "DELETE " + PREFIX + "/users/<id>/");
        assertThat(userCom.violations()).isEmpty();
    }
}
