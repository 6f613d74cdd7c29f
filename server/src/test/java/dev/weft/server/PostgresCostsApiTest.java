package dev.weft.server;

/** LLM costs on PostgreSQL (see {@link PostgresFixtures}). */
class PostgresCostsApiTest extends CostsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }
}
