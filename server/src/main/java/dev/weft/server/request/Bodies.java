package dev.weft.server.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Request bodies: size-limited, gzip-aware, parsed JSON with 400s that say what is wrong. */
public final class Bodies {
  private final ObjectMapper json;
  private final long maxBytes;

  public Bodies(ObjectMapper json, long maxBytes) {
    this.json = json;
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** The raw body, un-gzipped when {@code Content-Encoding: gzip}, at most {@link #maxBytes}. */
  public byte[] bytes(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) throw tooLarge();
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] raw = readLimited(in);
      String encoding = ctx.header("Content-Encoding");
      if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
        try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
          return readLimited(gz);
        } catch (java.util.zip.ZipException e) {
          throw ApiError.badRequest("body is not valid gzip: " + e.getMessage());
        }
      }
      return raw;
    } catch (IOException e) {
      throw ApiError.badRequest("could not read the request body: " + e.getMessage());
    }
  }

  /** The body as a JSON object. */
  public JsonNode object(Context ctx) {
    byte[] body = bytes(ctx);
    if (body.length == 0) throw ApiError.badRequest("empty body: expected a JSON object");
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("could not read JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) throw ApiError.badRequest("expected a JSON object");
    return node;
  }

  private byte[] readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
      if (total > maxBytes) throw tooLarge();
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private ApiError tooLarge() {
    return new ApiError(413, "request body larger than the limit of " + maxBytes + " bytes (serve --max-body-mb)");
  }
}
