package dev.weft.server;

/** Runs and metrics on the embedded SQLite store. */
class SqliteRunsApiTest extends RunsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }
}
