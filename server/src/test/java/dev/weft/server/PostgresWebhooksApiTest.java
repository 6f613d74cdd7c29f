package dev.weft.server;

/** Webhooks on PostgreSQL (see {@link PostgresFixtures}). */
class PostgresWebhooksApiTest extends WebhooksApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }
}
