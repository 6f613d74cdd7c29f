package dev.weft.agent.capture;

/** A value captured as JSON text at call time, because the object itself might change later. */
public final class Json {
  public final String text;

  Json(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
