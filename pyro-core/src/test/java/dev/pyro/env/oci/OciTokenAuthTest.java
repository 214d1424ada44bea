package dev.pyro.env.oci;

import static dev.pyro.env.oci.TestBundles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer-token flow against a real registry configured with {@code auth: token}: 401 with
 * a {@code Bearer realm=…,service=…,scope=…} challenge, token from our test token server
 * (JWT signed by a key the registry trusts), retry with {@code Authorization: Bearer}.
 */
class OciTokenAuthTest {
    @TempDir
    static Path work;
    static TokenServer tokens;
    static LocalRegistry registry;
    static Path bundle;
    static String pushed;
    static List<TokenServer.Request> pushTokenRequests;

    @BeforeAll
    static void pushWithCredentials() throws Exception {
        tokens = new TokenServer(work);
        registry = LocalRegistry.startWithTokenAuth(Files.createDirectories(work.resolve("registry")), tokens);
        bundle = TestBundles.create(work.resolve("bundle"), MIB, 4 * MIB, 3);
        OciClientOptions options = OciClientOptions.defaults()
                .withCredentials(TokenServer.USER, TokenServer.PASSWORD)
                .withUploadSizes(MIB / 2, MIB); // chunked uploads must carry the token too
        try (OciClient client = new OciClient(options)) {
            pushed = client.push(bundle, registry.ref("pyro/auth:1"), null);
        }
        pushTokenRequests = List.copyOf(tokens.requests);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @Test
    void pushFetchesOneTokenWithCredentialsAndReusesIt() {
        assertThat(pushed).startsWith("sha256:");
        assertThat(pushTokenRequests).hasSize(1);
        assertThat(pushTokenRequests.get(0).user()).isEqualTo(TokenServer.USER);
        assertThat(pushTokenRequests.get(0).scopes()).contains("repository:pyro/auth:pull,push");
    }

    @Test
    void anonymousPullGetsAPullTokenAndTheSameBytes() throws Exception {
        Path target = work.resolve("pull");
        int before = tokens.requests.size();
        try (OciClient anonymous = new OciClient(OciClientOptions.defaults())) {
            OciPullResult result = anonymous.pull(registry.ref("pyro/auth:1"), target, null);

            assertThat(result.digest()).isEqualTo(pushed);
        }
        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
        List<TokenServer.Request> pullRequests = tokens.requests.subList(before, tokens.requests.size());
        assertThat(pullRequests).hasSize(1);
        assertThat(pullRequests.get(0).user()).isNull();
        assertThat(pullRequests.get(0).scopes()).containsExactly("repository:pyro/auth:pull");
    }

    @Test
    void anonymousPushIsDeniedWithAHint() {
        try (OciClient anonymous = new OciClient(OciClientOptions.defaults())) {
            assertThatThrownBy(() -> anonymous.push(bundle, registry.ref("pyro/auth:anon"), null))
                    .isInstanceOf(OciAuthenticationException.class)
                    .hasMessageContaining("denied access to pyro/auth")
                    .hasMessageContaining(OciClientOptions.ENV_USERNAME);
        }
    }

    @Test
    void wrongPasswordIsRefusedByTheTokenServer() {
        OciClientOptions wrong = OciClientOptions.defaults().withCredentials(TokenServer.USER, "wrong");
        try (OciClient client = new OciClient(wrong)) {
            assertThatThrownBy(() -> client.pull(registry.ref("pyro/auth:1"), work.resolve("pull-wrong"), null))
                    .isInstanceOfSatisfying(OciAuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_BUILD_FAILED))
                    .hasMessageContaining("refused user 'pyro'");
        }
    }

    @Test
    void unknownTagBehindAuthIsEnvironmentNotFound() {
        try (OciClient anonymous = new OciClient(OciClientOptions.defaults())) {
            assertThatThrownBy(() -> anonymous.pull(registry.ref("pyro/auth:nope"), work.resolve("pull-nope"), null))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND));
        }
    }
}
