package dev.weft.server;

/** The call checklist on PostgreSQL (see {@link PostgresFixtures}). */
class PostgresCallsApiTest extends CallsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }
}
