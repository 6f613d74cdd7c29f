package dev.weft.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Fields;
import dev.weft.server.store.CallWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads call starts and ends straight off the request bytes with Jackson's streaming parser:
 * JSON-valued fields ({@code attributes}, {@code inputs}, {@code output}, {@code summary}) are
 * kept as the exact bytes the client sent, checked but never turned into trees.
 */
final class CallParser {
  /** A JSON object or array, as text. */
  record Raw(String json) {}

  private static final Object NULL = new Object();
  private final JsonFactory factory;

  CallParser(JsonFactory factory) {
    this.factory = factory;
  }

  /** {@code {"batch":[{"mode":…,"req":{"start"|"end":{…}}}…]}}: every write, in order. */
  List<CallWrite> batch(byte[] body) {
    List<CallWrite> out = new ArrayList<>();
    forEachInBatch(body, p -> out.add(item(p, body)));
    return out;
  }

  /** {@code {"batch":[CompletedCall…]}}, as newer SDKs send: a start and an end from each. */
  List<CallWrite> completed(byte[] body) {
    List<CallWrite> out = new ArrayList<>();
    forEachInBatch(body, p -> {
      if (p.currentToken() != JsonToken.START_OBJECT) throw ApiError.invalid("expected an object");
      Map<String, Object> f = object(p, body);
      out.add(start(f));
      out.add(end(f));
    });
    return out;
  }

  private interface ItemReader {
    void read(JsonParser p) throws IOException;
  }

  /** Calls {@code reader} on each element of the top-level {@code batch} list, naming it in errors. */
  private void forEachInBatch(byte[] body, ItemReader reader) {
    try (JsonParser p = open(body)) {
      boolean seen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (!name.equals("batch")) {
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY) throw ApiError.invalid("batch: expected a list");
        seen = true;
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          try {
            reader.read(p);
          } catch (ApiError e) {
            throw new ApiError(e.status, "batch[" + i + "]: " + e.getMessage());
          }
          i++;
        }
      }
      if (!seen) throw ApiError.invalid("field required: batch (a list)");
    } catch (JsonParseException e) {
      throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("could not read JSON: " + e.getMessage());
    }
  }

  /** {@code {"start":{…}}} or {@code {"end":{…}}}. */
  CallWrite single(byte[] body, String kind) {
    try (JsonParser p = open(body)) {
      CallWrite found = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals(kind) && t == JsonToken.START_OBJECT) {
          Map<String, Object> f = object(p, body);
          found = kind.equals("start") ? start(f) : end(f);
        } else if (name.equals(kind)) {
          throw ApiError.invalid(kind + ": expected an object");
        } else {
          p.skipChildren();
        }
      }
      if (found == null) throw ApiError.invalid("field required: " + kind);
      return found;
    } catch (JsonParseException e) {
      throw ApiError.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("could not read JSON: " + e.getMessage());
    }
  }

  private CallWrite item(JsonParser p, byte[] body) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, "expected an object");
    String mode = null;
    CallWrite write = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("mode")) {
        mode = t == JsonToken.VALUE_STRING ? p.getText() : "";
      } else if (name.equals("req") && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String kind = p.currentName();
          JsonToken v = p.nextToken();
          if ((kind.equals("start") || kind.equals("end")) && v == JsonToken.START_OBJECT) {
            Map<String, Object> f = object(p, body);
            write = kind.equals("start") ? start(f) : end(f);
          } else if (kind.equals("start") || kind.equals("end")) {
            throw ApiError.invalid(kind + ": expected an object");
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if (mode == null || !(mode.equals("start") || mode.equals("end"))) throw ApiError.invalid("mode: expected start or end");
    if (write == null || (mode.equals("start") != write instanceof CallWrite.Start)) {
      throw ApiError.invalid("field required: req." + mode);
    }
    return write;
  }

  /** The fields of the object the parser is at: scalars as Java values, objects and arrays as {@link Raw}. */
  private Map<String, Object> object(JsonParser p, byte[] body) throws IOException {
    Map<String, Object> f = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT:
        case START_ARRAY: {
          // The value's own bytes: the parser checks it while skipping, nothing is re-written.
          int from = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int to = (int) p.currentTokenLocation().getByteOffset() + 1;
          f.put(name, new Raw(new String(body, from, to - from, java.nio.charset.StandardCharsets.UTF_8)));
          break;
        }
        case VALUE_STRING: f.put(name, p.getText()); break;
        case VALUE_NUMBER_INT: f.put(name, p.getNumberValue()); break;
        case VALUE_NUMBER_FLOAT: f.put(name, p.getDecimalValue()); break;
        case VALUE_TRUE: f.put(name, Boolean.TRUE); break;
        case VALUE_FALSE: f.put(name, Boolean.FALSE); break;
        default: f.put(name, NULL);
      }
    }
    return f;
  }

  CallWrite.Start start(Map<String, Object> f) {
    String id = optionalString(f, "id");
    String traceId = optionalString(f, "trace_id");
    return new CallWrite.Start(string(f, "project_id"), id != null ? id : UUID.randomUUID().toString(),
        traceId != null ? traceId : UUID.randomUUID().toString(), optionalString(f, "parent_id"),
        string(f, "op_name"), optionalString(f, "display_name"), optionalString(f, "thread_id"),
        optionalString(f, "turn_id"), timestamp(f, "started_at"), object(f, "attributes"),
        object(f, "inputs"), optionalString(f, "wb_user_id"), optionalString(f, "wb_run_id"),
        optionalLong(f, "wb_run_step"));
  }

  CallWrite.End end(Map<String, Object> f) {
    Object exception = f.get("exception");
    if (exception != null && exception != NULL && !(exception instanceof String)) {
      throw ApiError.invalid("exception: expected a string or null");
    }
    return new CallWrite.End(string(f, "project_id"), string(f, "id"), timestamp(f, "ended_at"),
        json(f.get("output")), exception == NULL ? null : (String) exception, object(f, "summary"),
        optionalLong(f, "wb_run_step_end"), optionalString(f, "display_name"));
  }

  /** A parser positioned on the body's top-level object. */
  private JsonParser open(byte[] body) throws IOException {
    if (body.length == 0) throw ApiError.badRequest("empty body: expected a JSON object");
    JsonParser p = factory.createParser(body);
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.close();
      throw ApiError.badRequest("expected a JSON object");
    }
    return p;
  }

  private static void expect(JsonToken actual, JsonToken wanted, String message) {
    if (actual != wanted) throw ApiError.badRequest(message);
  }

  private static String string(Map<String, Object> f, String field) {
    String s = optionalString(f, field);
    if (s == null) throw ApiError.invalid("field required: " + field);
    return s;
  }

  private static String optionalString(Map<String, Object> f, String field) {
    Object v = f.get(field);
    if (v == null || v == NULL) return null;
    if (!(v instanceof String)) throw ApiError.invalid(field + ": expected a string");
    return (String) v;
  }

  private static Long optionalLong(Map<String, Object> f, String field) {
    Object v = f.get(field);
    if (v == null || v == NULL) return null;
    if (!(v instanceof Number) || v instanceof java.math.BigDecimal || v instanceof java.math.BigInteger) {
      throw ApiError.invalid(field + ": expected an integer");
    }
    return ((Number) v).longValue();
  }

  private static String object(Map<String, Object> f, String field) {
    Object v = f.get(field);
    if (v == null || v == NULL) throw ApiError.invalid("field required: " + field);
    if (!(v instanceof Raw) || !((Raw) v).json().startsWith("{")) throw ApiError.invalid(field + ": expected an object");
    return ((Raw) v).json();
  }

  private static long timestamp(Map<String, Object> f, String field) {
    Object v = f.get(field);
    if (v == null || v == NULL) throw ApiError.invalid("field required: " + field);
    if (!(v instanceof String)) throw ApiError.invalid(field + ": expected an ISO-8601 timestamp string");
    return Fields.timestamp((String) v, field);
  }

  /** Any JSON value as text; null for JSON null or absent. */
  private static String json(Object v) {
    if (v == null || v == NULL) return null;
    if (v instanceof Raw) return ((Raw) v).json();
    if (v instanceof String) {
      return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString((String) v)) + "\"";
    }
    return v.toString();
  }
}
