package dev.weft.server;

/** The call checklist on the embedded SQLite store. */
class SqliteCallsApiTest extends CallsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }
}
