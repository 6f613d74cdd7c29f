package dev.weft.server;

/** Webhooks on the embedded SQLite store. */
class SqliteWebhooksApiTest extends WebhooksApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }
}
