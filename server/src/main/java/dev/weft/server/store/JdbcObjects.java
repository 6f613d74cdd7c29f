package dev.weft.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ObjectStore} on the same SQL database as the calls. */
final class JdbcObjects implements ObjectStore {
  private static final String OBJ_COLUMNS = "project_id, object_id, digest, version_index, kind,"
      + " base_object_class, leaf_object_class, val, created_at";
  private final Db db;
  private final ObjectMapper json = new ObjectMapper();

  JdbcObjects(Db db) {
    this.db = db;
  }

  @Override
  public Obj createObject(String projectId, String objectId, JsonNode val) {
    String digest = Digests.objectDigest(val);
    String text = val.toString();
    return db.transaction("storing an object", c -> {
      Optional<Obj> existing = readLive(c, projectId, objectId, "digest = ?", digest);
      if (existing.isPresent()) return existing.get();
      int next = 0;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MAX(version_index) FROM objects WHERE project_id = ? AND object_id = ?")) {
        ps.setString(1, projectId);
        ps.setString(2, objectId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            int max = rs.getInt(1);
            next = rs.wasNull() ? 0 : max + 1;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO objects (" + OBJ_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, object_id, digest)"
          + " DO UPDATE SET deleted_at = NULL")) {
        ps.setString(1, projectId);
        ps.setString(2, objectId);
        ps.setString(3, digest);
        ps.setInt(4, next);
        ps.setString(5, isOp(val) ? "op" : "object");
        ps.setString(6, baseObjectClass(val));
        ps.setString(7, val.path("_class_name").isTextual() ? val.get("_class_name").asText() : null);
        ps.setString(8, text);
        ps.setLong(9, System.currentTimeMillis() * 1000);
        ps.executeUpdate();
      }
      return readLive(c, projectId, objectId, "digest = ?", digest).orElseThrow();
    });
  }

  static boolean isOp(JsonNode val) {
    return val.path("_type").asText("").equals("CustomWeaveType")
        && val.path("weave_type").path("type").asText("").equals("Op");
  }

  /** As Weave's object_class_util: the class just under Object in {@code _bases}. */
  static String baseObjectClass(JsonNode val) {
    JsonNode bases = val.path("_bases");
    if (!bases.isArray() || bases.size() < 2) return null;
    int n = bases.size();
    if (!bases.get(n - 1).asText().equals("BaseModel") || !bases.get(n - 2).asText().equals("Object")) return null;
    if (n > 2) return bases.get(n - 3).asText();
    return val.path("_class_name").isTextual() ? val.get("_class_name").asText() : null;
  }

  @Override
  public Optional<Obj> readObject(String projectId, String objectId, String digest) {
    try (Connection c = db.connection()) {
      if (digest.equals("latest")) return latest(c, projectId, objectId);
      if (digest.matches("v\\d+")) return readLive(c, projectId, objectId, "version_index = ?", Integer.parseInt(digest.substring(1)));
      return readLive(c, projectId, objectId, "digest = ?", digest);
    } catch (SQLException e) {
      throw new StoreException("reading an object", e);
    }
  }

  private Optional<Obj> latest(Connection c, String projectId, String objectId) throws SQLException {
    List<Obj> all = objects(c, "project_id = ? AND object_id = ? AND deleted_at IS NULL ORDER BY version_index DESC",
        List.of(projectId, objectId), 1L, 0);
    return all.stream().findFirst();
  }

  private Optional<Obj> readLive(Connection c, String projectId, String objectId, String cond, Object value) throws SQLException {
    return objects(c, "project_id = ? AND object_id = ? AND deleted_at IS NULL AND " + cond,
        List.of(projectId, objectId, value), null, 0).stream().findFirst();
  }

  @Override
  public List<Obj> queryObjects(String projectId, List<String> objectIds, List<String> baseObjectClasses,
      Boolean isOp, boolean latestOnly, Long limit, long offset) {
    StringBuilder where = new StringBuilder("project_id = ? AND deleted_at IS NULL");
    List<Object> args = new ArrayList<>(List.of(projectId));
    in(where, args, "object_id", objectIds);
    in(where, args, "base_object_class", baseObjectClasses);
    if (isOp != null) {
      where.append(" AND kind = ?");
      args.add(isOp ? "op" : "object");
    }
    where.append(" ORDER BY object_id ASC, version_index ASC");
    try (Connection c = db.connection()) {
      List<Obj> all = objects(c, where.toString(), args, null, 0);
      List<Obj> out = new ArrayList<>();
      for (Obj o : all) if (!latestOnly || o.latest()) out.add(o);
      int from = (int) Math.min(offset, out.size());
      int to = limit == null ? out.size() : (int) Math.min(out.size(), from + limit);
      return out.subList(from, to);
    } catch (SQLException e) {
      throw new StoreException("querying objects", e);
    }
  }

  private static void in(StringBuilder where, List<Object> args, String column, List<String> values) {
    if (values == null) return;
    where.append(" AND ").append(column).append(" IN (")
        .append(String.join(", ", java.util.Collections.nCopies(values.size(), "?"))).append(")");
    args.addAll(values);
  }

  private List<Obj> objects(Connection c, String where, List<Object> args, Long limit, long offset) throws SQLException {
    String sql = "SELECT " + OBJ_COLUMNS + ", (SELECT MAX(version_index) FROM objects o2 WHERE o2.project_id = objects.project_id"
        + " AND o2.object_id = objects.object_id AND o2.deleted_at IS NULL) FROM objects WHERE " + where
        + (limit != null ? " LIMIT " + limit + " OFFSET " + offset : "");
    List<Obj> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String val = rs.getString(8);
          out.add(new Obj(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
              rs.getInt(4) == rs.getInt(10), rs.getString(5), rs.getString(6), rs.getString(7), val,
              rs.getLong(9), val.getBytes(StandardCharsets.UTF_8).length));
        }
      }
    }
    return out;
  }

  @Override
  public int deleteObject(String projectId, String objectId, List<String> digests) {
    StringBuilder sql = new StringBuilder("UPDATE objects SET deleted_at = ? WHERE project_id = ? AND object_id = ? AND deleted_at IS NULL");
    List<Object> args = new ArrayList<>(List.of(System.currentTimeMillis() * 1000, projectId, objectId));
    in(sql, args, "digest", digests);
    return db.write("deleting an object", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        Db.bind(ps, args.toArray());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public String putFile(String projectId, byte[] content) {
    String digest = Digests.bytesDigest(content);
    return db.write("storing a file", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO files (project_id, digest, content) VALUES (?, ?, ?) ON CONFLICT (project_id, digest) DO NOTHING")) {
        ps.setString(1, projectId);
        ps.setString(2, digest);
        ps.setBytes(3, content);
        ps.executeUpdate();
        return digest;
      }
    });
  }

  @Override
  public Optional<byte[]> readFile(String projectId, String digest) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT content FROM files WHERE project_id = ? AND digest = ?")) {
      ps.setString(1, projectId);
      ps.setString(2, digest);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading a file", e);
    }
  }

  @Override
  public List<String> createTable(String projectId, List<JsonNode> rows) {
    List<String> rowDigests = new ArrayList<>();
    for (JsonNode row : rows) rowDigests.add(Digests.objectDigest(row));
    String digest = Digests.tableDigest(rowDigests);
    db.transaction("storing a table", c -> {
      try (PreparedStatement row = c.prepareStatement(
              "INSERT INTO table_rows (project_id, digest, val) VALUES (?, ?, ?) ON CONFLICT (project_id, digest) DO NOTHING");
          PreparedStatement table = c.prepareStatement(
              "INSERT INTO tables (project_id, digest, row_digests) VALUES (?, ?, ?) ON CONFLICT (project_id, digest) DO NOTHING")) {
        for (int i = 0; i < rows.size(); i++) {
          row.setString(1, projectId);
          row.setString(2, rowDigests.get(i));
          row.setString(3, rows.get(i).toString());
          row.addBatch();
        }
        if (!rows.isEmpty()) row.executeBatch();
        table.setString(1, projectId);
        table.setString(2, digest);
        table.setString(3, json.writeValueAsString(rowDigests));
        table.executeUpdate();
      }
      return null;
    });
    List<String> out = new ArrayList<>(List.of(digest));
    out.addAll(rowDigests);
    return out;
  }

  @Override
  public Optional<List<TableRow>> tableRows(String projectId, String digest) {
    try (Connection c = db.connection()) {
      String rowDigests;
      try (PreparedStatement ps = c.prepareStatement("SELECT row_digests FROM tables WHERE project_id = ? AND digest = ?")) {
        ps.setString(1, projectId);
        ps.setString(2, digest);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          rowDigests = rs.getString(1);
        }
      }
      List<TableRow> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT val FROM table_rows WHERE project_id = ? AND digest = ?")) {
        int i = 0;
        for (JsonNode d : json.readTree(rowDigests)) {
          ps.setString(1, projectId);
          ps.setString(2, d.asText());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) rows.add(new TableRow(d.asText(), rs.getString(1), i));
          }
          i++;
        }
      }
      return Optional.of(rows);
    } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StoreException("reading a table", e);
    }
  }

  @Override
  public void createFeedback(Feedback f) {
    db.write("storing feedback", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO feedback (project_id, id, weave_ref, feedback_type, payload, creator, created_at,"
              + " annotation_ref, runnable_ref, call_ref, trigger_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, f.projectId());
        ps.setString(2, f.id());
        ps.setString(3, f.weaveRef());
        ps.setString(4, f.feedbackType());
        ps.setString(5, f.payload());
        ps.setString(6, f.creator());
        ps.setLong(7, f.createdAt());
        ps.setString(8, f.annotationRef());
        ps.setString(9, f.runnableRef());
        ps.setString(10, f.callRef());
        ps.setString(11, f.triggerRef());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<Feedback> queryFeedback(String projectId, Long limit, long offset) {
    String sql = "SELECT project_id, id, weave_ref, feedback_type, payload, creator, created_at, annotation_ref,"
        + " runnable_ref, call_ref, trigger_ref FROM feedback WHERE project_id = ? ORDER BY created_at, id"
        + (limit != null ? " LIMIT " + limit + " OFFSET " + offset : "");
    List<Feedback> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Feedback(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
              rs.getString(10), rs.getString(11)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("querying feedback", e);
    }
    return out;
  }
}
