package dev.weft.server.request;

/** A request the server refuses, with the HTTP status and the {@code detail} it answers with. */
public final class ApiError extends RuntimeException {
  public final int status;

  public ApiError(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, detail);
  }

  /** A field is missing or has the wrong type: 422, as Weave's own server answers. */
  public static ApiError invalid(String detail) {
    return new ApiError(422, detail);
  }
}
