package io.tollgate.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpRouterTest {

  /** Distinct instances: a lambda that captures nothing may be one shared object. */
  private static HttpHandler handler(String name) {
    return (request, params) -> CompletableFuture.failedFuture(new AssertionError(name));
  }

  private final HttpHandler export = handler("export");
  private final HttpHandler search = handler("search");
  private final HttpHandler oneTrace = handler("oneTrace");
  private final HttpHandler status = handler("status");

  // The routes the query API will add next to the export route.
  private final HttpRouter router =
      HttpRouter.builder()
          .route(HttpMethod.POST, "/v1/traces", export)
          .route(HttpMethod.GET, "/v1/traces", search)
          .route(HttpMethod.GET, "/v1/traces/{trace_id}", oneTrace)
          .route(HttpMethod.GET, "/v1/traces/status", status)
          .build();

  @Test
  void routesByMethodAndPath() {
    assertThat(router.match(HttpMethod.POST, "/v1/traces"))
        .isEqualTo(new HttpRouter.Found(export, Map.of()));
    assertThat(router.match(HttpMethod.GET, "/v1/traces"))
        .isEqualTo(new HttpRouter.Found(search, Map.of()));
    assertThat(router.match(HttpMethod.GET, "/v1/traces/0af7651916cd43dd8448eb211c80319c"))
        .isEqualTo(
            new HttpRouter.Found(oneTrace, Map.of("trace_id", "0af7651916cd43dd8448eb211c80319c")));
  }

  @Test
  void aLiteralRouteBeatsATemplate() {
    assertThat(router.match(HttpMethod.GET, "/v1/traces/status"))
        .isEqualTo(new HttpRouter.Found(status, Map.of()));
  }

  @Test
  void pathParametersAreDecoded() {
    assertThat(router.match(HttpMethod.GET, "/v1/traces/a%20b"))
        .isEqualTo(new HttpRouter.Found(oneTrace, Map.of("trace_id", "a b")));
  }

  @Test
  void unknownPathsAndMethods() {
    assertThat(router.match(HttpMethod.POST, "/v1/metrics"))
        .isInstanceOf(HttpRouter.NotFound.class);
    assertThat(router.match(HttpMethod.POST, "/v1/traces/"))
        .isInstanceOf(HttpRouter.NotFound.class);
    assertThat(router.match(HttpMethod.GET, "/v1/traces/")).isInstanceOf(HttpRouter.NotFound.class);
    HttpRouter.Match m = router.match(HttpMethod.DELETE, "/v1/traces");
    assertThat(m).isInstanceOf(HttpRouter.MethodNotAllowed.class);
    assertThat(((HttpRouter.MethodNotAllowed) m).allowHeader()).isEqualTo("POST, GET");
    assertThat(router.methodsAt("/v1/traces/abc")).containsExactly(HttpMethod.GET);
    assertThat(router.methodsAt("/nope")).isEmpty();
  }

  @Test
  void clashingRoutesAreRefused() {
    HttpRouter.Builder b =
        HttpRouter.builder().route(HttpMethod.GET, "/v1/traces/{id}", handler("a"));
    assertThatThrownBy(() -> b.route(HttpMethod.GET, "/v1/traces/{trace_id}", handler("b")))
        .hasMessageContaining("clashes");
    assertThatThrownBy(() -> b.route(HttpMethod.GET, "v1/traces", handler("c")))
        .hasMessageContaining("starts with '/'");
  }

  @Test
  void describesItsRoutesForNotFoundMessages() {
    assertThat(router.describe())
        .isEqualTo(
            "POST /v1/traces, GET /v1/traces, GET /v1/traces/status, GET /v1/traces/{trace_id}");
  }
}
