package dev.weft.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.agent.capture.Capture;
import java.io.IOException;
import java.io.StringWriter;

/**
 * A call's {@code exception}: a JSON string in the shape Weave's Python SDK writes,
 * {@code {"type", "message", "traceback": [{"filename", "line_number", "function_name"}]}}.
 * Frames are in Java's order, innermost first; the cause chain follows under {@code cause}.
 */
public final class ExceptionJson {
  static final int MAX_FRAMES = 64;
  static final int MAX_CAUSES = 5;

  private ExceptionJson() {}

  public static String of(Throwable t) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = Capture.jsonFactory().createGenerator(out)) {
      write(gen, t, 0);
    } catch (IOException e) {
      return "{\"type\":\"" + t.getClass().getName() + "\"}";
    }
    return out.toString();
  }

  private static void write(JsonGenerator gen, Throwable t, int causeDepth) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("type", t.getClass().getName());
    gen.writeStringField("message", messageOf(t));
    gen.writeArrayFieldStart("traceback");
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
      StackTraceElement f = frames[i];
      gen.writeStartObject();
      gen.writeStringField("filename", f.getFileName() != null ? f.getFileName() : f.getClassName());
      gen.writeNumberField("line_number", f.getLineNumber());
      gen.writeStringField("function_name", f.getClassName() + "." + f.getMethodName());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    if (frames.length > MAX_FRAMES) gen.writeNumberField("frames_omitted", frames.length - MAX_FRAMES);
    Throwable cause = t.getCause();
    if (cause != null && cause != t && causeDepth < MAX_CAUSES) {
      gen.writeFieldName("cause");
      write(gen, cause, causeDepth + 1);
    }
    gen.writeEndObject();
  }

  /** The message, or "" when there is none; never throws. */
  public static String messageOf(Throwable t) {
    try {
      String m = t.getMessage();
      return m == null ? "" : m;
    } catch (Throwable e) {
      return "";
    }
  }
}
