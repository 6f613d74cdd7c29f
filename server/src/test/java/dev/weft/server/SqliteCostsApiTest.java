package dev.weft.server;

/** LLM costs on the embedded SQLite store. */
class SqliteCostsApiTest extends CostsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }
}
