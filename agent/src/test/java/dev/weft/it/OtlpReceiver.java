package dev.weft.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/** A plain OTLP/HTTP trace receiver on loopback: keeps each export request and the header asked for. */
final class OtlpReceiver implements AutoCloseable {
  final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  final List<String> headers = new CopyOnWriteArrayList<>();
  /** {@code http://127.0.0.1:PORT}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  final String base;
  private final HttpServer server;

  /** {@code header}: a request header whose value each request adds to {@link #headers}, or null. */
  OtlpReceiver(String header) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", exchange -> {
      if (header != null) headers.add(exchange.getRequestHeaders().getFirst(header));
      InputStream in = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
      received.add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
      byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every span received so far. */
  List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    for (ExportTraceServiceRequest r : received) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) spans.addAll(ss.getSpansList());
      }
    }
    return spans;
  }

  /** The value of resource attribute {@code key} in the first request that has it, or null. */
  String resourceAttribute(String key) {
    for (ExportTraceServiceRequest r : received) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          if (kv.getKey().equals(key)) return kv.getValue().getStringValue();
        }
      }
    }
    return null;
  }

  /** Span attribute {@code key}, or null. */
  static AnyValue attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) if (kv.getKey().equals(key)) return kv.getValue();
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
