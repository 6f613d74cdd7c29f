package dev.weft.server.store;

/** The store could not do what was asked; the server answers 503 and the data is unchanged. */
public final class StoreException extends RuntimeException {
  public StoreException(String what, Throwable cause) {
    super(what + " failed: " + cause.getMessage(), cause);
  }
}
