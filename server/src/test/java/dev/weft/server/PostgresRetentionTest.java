package dev.weft.server;

/** Retention on PostgreSQL (see {@link PostgresFixtures}). */
class PostgresRetentionTest extends RetentionContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }
}
