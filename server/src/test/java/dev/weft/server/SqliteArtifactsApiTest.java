package dev.weft.server;

/** Artifacts on the embedded SQLite store, files under the data directory. */
class SqliteArtifactsApiTest extends ArtifactsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }
}
