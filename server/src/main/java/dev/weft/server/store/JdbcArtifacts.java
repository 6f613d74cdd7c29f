package dev.weft.server.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** {@link ArtifactStore} on the same SQL database as the calls, with the bytes in {@link Blobs}. */
final class JdbcArtifacts implements ArtifactStore {
  private static final Pattern VERSION_INDEX = Pattern.compile("v([0-9]{1,9})");
  private static final Pattern DIGEST_PREFIX = Pattern.compile("[0-9a-f]{8,64}");
  private static final String COLUMNS = "v.project_id, v.name, v.digest, v.version_index, v.type, v.metadata, v.size,"
      + " v.file_count, v.created_at, v.created_by_run";

  private final Db db;
  private volatile Blobs blobs;

  JdbcArtifacts(Db db, Blobs blobs) {
    this.db = db;
    this.blobs = blobs;
  }

  void useBlobs(Blobs blobs) {
    this.blobs = blobs;
  }

  @Override
  public Blobs blobs() {
    return blobs;
  }

  @Override
  public Logged log(NewVersion v) {
    // Two servers on one PostgreSQL may number a version at once: one insert fails, and is tried again.
    for (int attempt = 0; ; attempt++) {
      try {
        Set<String> freed = new LinkedHashSet<>();
        Object[] out = db.transaction("logging an artifact version", c -> logIn(c, v, freed));
        deleteUnreferenced(freed);
        String digest = (String) out[0];
        @SuppressWarnings("unchecked") List<String> deleted = (List<String>) out[2];
        return new Logged(resolve(v.projectId(), v.name(), digest).orElseThrow(), (Boolean) out[1], deleted);
      } catch (StoreException e) {
        if (attempt >= 4 || !isUniqueViolation(e)) throw e;
      }
    }
  }

  private Object[] logIn(Connection c, NewVersion v, Set<String> freed) throws SQLException {
    // Each file is held against removal from this check until the commit (see deleteUnreferenced).
    Set<String> digests = new LinkedHashSet<>();
    for (File f : v.files()) digests.add(f.digest());
    holdBlobs(c, digests);
    List<String> gone = new ArrayList<>();
    for (String d : digests) if (!blobs.has(d)) gone.add(d);
    if (!gone.isEmpty()) throw new MissingBlobs(gone);
    long now = System.currentTimeMillis() * 1000;
    String type = scalar(c, "SELECT type FROM artifact_versions WHERE project_id = ? AND name = ? LIMIT 1", v.projectId(), v.name());
    if (type != null && !type.equals(v.type())) {
      throw new IllegalArgumentException("artifact " + v.name() + " is of type " + type + ", not " + v.type());
    }
    boolean created = scalar(c, "SELECT digest FROM artifact_versions WHERE project_id = ? AND name = ? AND digest = ?",
        v.projectId(), v.name(), v.digest()) == null;
    if (created) {
      String max = scalar(c, "SELECT MAX(version_index) FROM artifact_versions WHERE project_id = ? AND name = ?",
          v.projectId(), v.name());
      int index = max == null ? 0 : Integer.parseInt(max) + 1;
      long size = 0;
      for (File f : v.files()) size += f.size();
      update(c, "INSERT INTO artifact_versions (project_id, name, digest, version_index, type, metadata, size, file_count,"
          + " created_at, created_by_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v.projectId(), v.name(), v.digest(),
          index, v.type(), v.metadata(), size, v.files().size(), now, v.runId());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_files (project_id, name, version_digest, path,"
          + " digest, size) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (File f : v.files()) {
          Db.bind(ps, v.projectId(), v.name(), v.digest(), f.path(), f.digest(), f.size());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    List<String> aliases = new ArrayList<>(v.aliases());
    aliases.add(0, "latest");
    for (String alias : aliases) {
      update(c, "INSERT INTO artifact_aliases (project_id, name, alias, digest) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (project_id, name, alias) DO UPDATE SET digest = excluded.digest", v.projectId(), v.name(), alias, v.digest());
    }
    if (v.runId() != null) recordRun(c, v.projectId(), v.name(), v.digest(), v.runId(), "logged", now);
    if (v.keepLast() != null) setting(c, v.projectId(), v.name(), v.keepLast());
    List<String> deleted = applyRetention(c, v.projectId(), v.name(), freed);
    return new Object[] {v.digest(), created, deleted};
  }

  private static void setting(Connection c, String projectId, String name, int keepLast) throws SQLException {
    update(c, "INSERT INTO artifact_settings (project_id, name, keep_last) VALUES (?, ?, ?)"
        + " ON CONFLICT (project_id, name) DO UPDATE SET keep_last = excluded.keep_last", projectId, name, keepLast);
  }

  /**
   * Removes the versions past the artifact's last {@code keep_last}, except those with an alias
   * (a user's {@code best} or {@code production} stays); collects their files' digests in {@code freed}.
   */
  private static List<String> applyRetention(Connection c, String projectId, String name, Set<String> freed) throws SQLException {
    String keep = scalar(c, "SELECT keep_last FROM artifact_settings WHERE project_id = ? AND name = ?", projectId, name);
    List<String> deleted = new ArrayList<>();
    if (keep == null || Integer.parseInt(keep) <= 0) return deleted;
    List<String> old = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT v.digest, v.version_index FROM artifact_versions v"
        + " WHERE v.project_id = ? AND v.name = ? AND NOT EXISTS (SELECT 1 FROM artifact_aliases a"
        + " WHERE a.project_id = v.project_id AND a.name = v.name AND a.digest = v.digest)"
        + " AND v.version_index < (SELECT MIN(t.version_index) FROM (SELECT version_index FROM artifact_versions"
        + " WHERE project_id = ? AND name = ? ORDER BY version_index DESC LIMIT " + Integer.parseInt(keep) + ") t)"
        + " ORDER BY v.version_index")) {
      Db.bind(ps, projectId, name, projectId, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          old.add(rs.getString(1));
          deleted.add("v" + rs.getInt(2));
        }
      }
    }
    for (String digest : old) {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT DISTINCT digest FROM artifact_files WHERE project_id = ? AND name = ? AND version_digest = ?")) {
        Db.bind(ps, projectId, name, digest);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) freed.add(rs.getString(1));
        }
      }
      for (String table : new String[] {"artifact_files", "artifact_runs", "artifact_versions"}) {
        String column = table.equals("artifact_files") ? "version_digest" : "digest";
        update(c, "DELETE FROM " + table + " WHERE project_id = ? AND name = ? AND " + column + " = ?", projectId, name, digest);
      }
    }
    return deleted;
  }

  /**
   * Deletes the blobs among {@code digests} that no version of any project refers to. A log that
   * reuses one of them at the same time must not lose it: each is checked and deleted in a write
   * that holds the blob ({@link #holdBlobs}) as a log's transaction does from its own check of
   * the file to its commit. So either the log commits first, and this sees its files' rows and
   * keeps the blob, or this deletes it first, and the log finds it gone and asks for it again
   * (409 with {@code missing}), which the clients upload.
   */
  private int deleteUnreferenced(Collection<String> digests) {
    int removed = 0;
    for (String d : digests) {
      try {
        boolean gone = db.transaction("removing an artifact file nothing refers to", c -> {
          holdBlobs(c, Set.of(d));
          if (scalar(c, "SELECT digest FROM artifact_files WHERE digest = ? LIMIT 1", d) != null) return false;
          blobs.delete(d);
          return true;
        });
        if (gone) removed++;
      } catch (StoreException e) {
        LoggerFactory.getLogger(JdbcArtifacts.class).warn("could not remove blob {}: {}", d, e.getMessage());
      }
    }
    return removed;
  }

  @Override
  public int removeUnlogged(Instant cutoff) {
    try {
      return deleteUnreferenced(blobs.writtenBefore(cutoff)) + blobs.removePartsBefore(cutoff);
    } catch (IOException e) {
      LoggerFactory.getLogger(JdbcArtifacts.class).warn("could not look for unlogged artifact files: {}", e.getMessage());
      return 0;
    }
  }

  /**
   * Holds these blobs until the transaction ends, against a log or a removal of them in another:
   * on PostgreSQL an advisory lock per digest, taken in order so two holders never wait on each
   * other; SQLite's single writer runs one write at a time already.
   */
  private void holdBlobs(Connection c, Set<String> digests) throws SQLException {
    if (!db.concurrentWriters()) return;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      for (String d : new TreeSet<>(digests)) {
        ps.setLong(1, Blobs.lockKey(d));
        ps.execute();
      }
    }
  }

  @Override
  public List<String> setKeepLast(String projectId, String name, int keepLast) {
    Set<String> freed = new LinkedHashSet<>();
    List<String> deleted = db.transaction("setting an artifact's retention", c -> {
      setting(c, projectId, name, keepLast);
      return applyRetention(c, projectId, name, freed);
    });
    deleteUnreferenced(freed);
    return deleted;
  }

  @Override
  public Optional<Version> resolve(String projectId, String name, String version) {
    return read("resolving an artifact version", c -> {
      String digest = scalar(c, "SELECT digest FROM artifact_aliases WHERE project_id = ? AND name = ? AND alias = ?",
          projectId, name, version);
      var index = VERSION_INDEX.matcher(version);
      if (digest == null && index.matches()) {
        digest = scalar(c, "SELECT digest FROM artifact_versions WHERE project_id = ? AND name = ? AND version_index = ?",
            projectId, name, Integer.parseInt(index.group(1)));
      }
      if (digest == null && DIGEST_PREFIX.matcher(version).matches()) {
        List<Version> found = versions(c, " AND v.digest LIKE ?", projectId, name, version + "%");
        if (found.size() > 1) throw new IllegalArgumentException("version " + version + " is the start of several digests; give more of it");
        return found.stream().findFirst();
      }
      if (digest == null) return Optional.<Version>empty();
      return versions(c, " AND v.digest = ?", projectId, name, digest).stream().findFirst();
    });
  }

  @Override
  public List<Version> versions(String projectId, String name) {
    return read("listing artifact versions", c -> versions(c, "", projectId, name));
  }

  private List<Version> versions(Connection c, String where, Object... args) throws SQLException {
    List<Version> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM artifact_versions v"
        + " WHERE v.project_id = ? AND v.name = ?" + where + " ORDER BY v.version_index DESC")) {
      Db.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(version(rs));
      }
    }
    return withAliases(c, out);
  }

  private static Version version(ResultSet rs) throws SQLException {
    return new Version(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
        rs.getLong(7), rs.getInt(8), rs.getLong(9), rs.getString(10), List.of());
  }

  private static List<Version> withAliases(Connection c, List<Version> versions) throws SQLException {
    List<Version> out = new ArrayList<>(versions.size());
    for (Version v : versions) {
      List<String> aliases = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT alias FROM artifact_aliases WHERE project_id = ? AND name = ?"
          + " AND digest = ? ORDER BY CASE WHEN alias = 'latest' THEN 0 ELSE 1 END, alias")) {
        Db.bind(ps, v.projectId(), v.name(), v.digest());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) aliases.add(rs.getString(1));
        }
      }
      out.add(new Version(v.projectId(), v.name(), v.digest(), v.index(), v.type(), v.metadata(), v.size(),
          v.fileCount(), v.createdAt(), v.createdByRun(), List.copyOf(aliases)));
    }
    return out;
  }

  @Override
  public List<File> files(String projectId, String name, String digest) {
    return read("listing an artifact version's files", c -> {
      List<File> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT path, digest, size FROM artifact_files"
          + " WHERE project_id = ? AND name = ? AND version_digest = ? ORDER BY path")) {
        Db.bind(ps, projectId, name, digest);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(new File(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  @Override
  public List<Lineage> lineage(String projectId, String name, String digest) {
    return read("reading an artifact version's lineage", c -> {
      List<Lineage> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id, role, at FROM artifact_runs"
          + " WHERE project_id = ? AND name = ? AND digest = ? ORDER BY at, run_id")) {
        Db.bind(ps, projectId, name, digest);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(new Lineage(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  @Override
  public void recordUse(String projectId, String name, String digest, String runId) {
    db.transaction("recording an artifact's use", c -> {
      recordRun(c, projectId, name, digest, runId, "used", System.currentTimeMillis() * 1000);
      return null;
    });
  }

  private static void recordRun(Connection c, String projectId, String name, String digest, String runId, String role,
      long at) throws SQLException {
    update(c, "INSERT INTO artifact_runs (project_id, name, digest, run_id, role, at) VALUES (?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (project_id, name, digest, run_id, role) DO NOTHING", projectId, name, digest, runId, role, at);
  }

  @Override
  public List<Summary> list(String projectId) {
    return read("listing artifacts", c -> {
      Map<String, Object[]> names = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT v.name, COUNT(*), MAX(v.version_index), MAX(v.created_at),"
          + " MAX(s.keep_last) FROM artifact_versions v LEFT JOIN artifact_settings s ON s.project_id = v.project_id"
          + " AND s.name = v.name WHERE v.project_id = ? GROUP BY v.name ORDER BY MAX(v.created_at) DESC, v.name")) {
        Db.bind(ps, projectId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int keep = rs.getInt(5);
            names.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getInt(3), rs.wasNull() ? null : keep});
          }
        }
      }
      List<Summary> out = new ArrayList<>();
      for (Map.Entry<String, Object[]> e : names.entrySet()) {
        Version latest = versions(c, " AND v.version_index = ?", projectId, e.getKey(), e.getValue()[1]).get(0);
        out.add(new Summary(e.getKey(), latest.type(), (Integer) e.getValue()[0], latest, (Integer) e.getValue()[2]));
      }
      return out;
    });
  }

  @Override
  public List<RunArtifact> ofRun(String projectId, String runId) {
    return read("listing a run's artifacts", c -> {
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT name, digest, role, at FROM artifact_runs"
          + " WHERE project_id = ? AND run_id = ? ORDER BY at, name")) {
        Db.bind(ps, projectId, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)});
        }
      }
      List<RunArtifact> out = new ArrayList<>();
      for (Object[] r : rows) {
        for (Version v : versions(c, " AND v.digest = ?", projectId, r[0], r[1])) {
          out.add(new RunArtifact(v, (String) r[2], (Long) r[3]));
        }
      }
      return out;
    });
  }

  private <T> T read(String what, Db.Work<T> work) {
    try (Connection c = db.connection()) {
      return work.run(c);
    } catch (SQLException | IOException e) {
      throw new StoreException(what, e);
    }
  }

  private static String scalar(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static boolean isUniqueViolation(StoreException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
    }
    return false;
  }
}
