package io.tollgate.receiver.otlp;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Serves one route of the HTTP server. Both methods run on the connection's event loop. */
interface HttpHandler {

  /**
   * Looks at the request line and headers before the body is read, so that a request that cannot
   * succeed (wrong content type, say) is refused without reading what may be megabytes.
   *
   * @return the answer that refuses the request, or {@code null} to go on and read the body
   */
  default FullHttpResponse checkHead(HttpRequest head) {
    return null;
  }

  /**
   * Handles a complete request. Must not block: hand heavy work to a worker and complete the stage
   * from there. The handler owns {@code request} and must release it.
   *
   * @param pathParams the values of the route's {@code {name}} segments
   */
  CompletionStage<FullHttpResponse> handle(FullHttpRequest request, Map<String, String> pathParams);
}
