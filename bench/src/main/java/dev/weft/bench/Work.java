package dev.weft.bench;

import dev.weft.Traced;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The measured methods. Each carries both Weft's {@code @Traced} and OpenTelemetry's
 * {@code @WithSpan}, so the same code is traced by whichever agent is attached.
 */
public class Work {
  @Traced(captureInputs = false, captureOutput = false)
  @WithSpan
  public int captureOff(int attempt, String bugId) {
    return attempt + bugId.length();
  }

  @Traced
  @WithSpan
  public int captureOn(int attempt, String bugId) {
    return attempt + bugId.length();
  }

  public int untraced(int attempt, String bugId) {
    return attempt + bugId.length();
  }
}
