package dev.weft.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A contract the server keeps on every store: each test gets a live server over a new, empty store. */
abstract class StoreContract {
  ServerFixture s;

  /** A server over a new, empty store. */
  abstract ServerFixture newServer() throws Exception;

  @BeforeEach
  void start() throws Exception {
    s = newServer();
  }

  @AfterEach
  void stop() {
    if (s != null) s.close(); // null when the store was not there and the test was skipped
  }
}
