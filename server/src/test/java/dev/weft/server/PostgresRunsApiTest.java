package dev.weft.server;

/** Runs and metrics on PostgreSQL (see {@link PostgresFixtures}). */
class PostgresRunsApiTest extends RunsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }
}
