package dev.weft.server.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * The store: calls, objects and runs in one database, SQLite or PostgreSQL, whose schema
 * {@link #migrate} brings up to date.
 */
public final class JdbcStore implements AutoCloseable {
  private final Database database;
  private final JdbcCalls calls;
  private final JdbcObjects objects;
  private final JdbcRuns runs;
  private final JdbcWebhooks webhooks;
  private final JdbcPrices prices;
  private final Retention retention;
  private JdbcArtifacts artifacts;

  private JdbcStore(Database database) {
    this.database = database;
    this.calls = new JdbcCalls(database.db);
    this.objects = new JdbcObjects(database.db);
    this.runs = new JdbcRuns(database.db);
    this.webhooks = new JdbcWebhooks(database.db);
    this.prices = new JdbcPrices(database.db);
    this.retention = new Retention(database, calls);
  }

  /** SQLite in {@code dataDir/weft.db}, or PostgreSQL when {@code jdbcUrl} is given, with its schema up to date. */
  public static JdbcStore open(String jdbcUrl, Path dataDir) {
    JdbcStore store = connect(jdbcUrl, dataDir, new SimpleMeterRegistry());
    try {
      store.migrate();
    } catch (RuntimeException e) {
      store.close(); // its connections and SQLite's writer thread
      throw e;
    }
    return store;
  }

  /**
   * The store's connections, reporting to {@code registry}; its schema is not touched until
   * {@link #migrate}, so a server can answer its probes meanwhile.
   */
  public static JdbcStore connect(String jdbcUrl, Path dataDir, MeterRegistry registry) {
    JdbcStore store = new JdbcStore(Database.open(jdbcUrl, dataDir, registry));
    store.artifacts = new JdbcArtifacts(store.database.db,
        new Blobs((dataDir != null ? dataDir : Path.of("weft-data")).resolve("artifacts")));
    Gauge.builder("weft.store.write.queue", store.database.db, Db::queued)
        .description("writes waiting for the store's writer (SQLite) or under way (PostgreSQL)").register(registry);
    Gauge.builder("weft.store.size", store.database, Database::sizeBytes).baseUnit("bytes")
        .description("the store's size on disk").register(registry);
    return store;
  }

  /**
   * Applies the schema versions the database lacks, once however many servers start on it at
   * once: the others wait, then find them applied. Refuses a database of a newer server.
   */
  public void migrate() {
    database.migrate();
  }

  /** Whether the store answers a query now. */
  public boolean reachable() {
    return database.reachable();
  }

  /** Calls: written, queried, counted and deleted. */
  public Store calls() {
    return calls;
  }

  /** Runs, their metrics history, summaries and tables, in the same database. */
  public RunStore runs() {
    return runs;
  }

  /** Webhooks set through the API, and every delivery's outbox row, in the same database. */
  public WebhookStore webhooks() {
    return webhooks;
  }

  /** Each project's own LLM token prices, in the same database. */
  public PriceStore prices() {
    return prices;
  }

  /** Objects, files, tables and feedback, in the same database. */
  public ObjectStore objects() {
    return objects;
  }

  /** Artifacts' versions, aliases and lineage in the same database; their files' bytes under a directory. */
  public ArtifactStore artifacts() {
    return artifacts;
  }

  /**
   * Keeps artifacts' files in {@code dir} instead of {@code <data>/artifacts}: with PostgreSQL
   * and several servers, a directory every server mounts at the same path.
   */
  public void useArtifactsDir(Path dir) {
    artifacts.useBlobs(new Blobs(dir));
  }

  /** How long traces and runs are kept, and the background work that deletes what is older. */
  public Retention retention() {
    return retention;
  }

  /** Which database, for the start-up line: {@code SQLite /path} or {@code PostgreSQL url} without the password. */
  public String description() {
    return database.description;
  }

  @Override
  public void close() {
    retention.close();
    database.close();
  }
}
