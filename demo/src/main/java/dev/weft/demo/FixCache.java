package dev.weft.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What PatchPilot learned in earlier runs, kept in a small text file between runs: the patch
 * that fixed each bug, and the patches already tried that did not. A bug is its unit and the
 * hash of its source, so an edited class starts afresh.
 */
final class FixCache {
  private final Path file;
  private final Map<String, String> fixes = new HashMap<>();
  private final Map<String, Set<String>> tried = new HashMap<>();
  private int hits;

  private FixCache(Path file) {
    this.file = file;
  }

  static FixCache load(Path file) throws IOException {
    FixCache cache = new FixCache(file);
    if (file != null && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        if (f.length != 3) continue; // a line from another version: ignore it
        if (f[0].equals("fix")) cache.fixes.put(f[1], f[2]);
        else if (f[0].equals("tried")) cache.tried.computeIfAbsent(f[1], k -> new HashSet<>()).add(f[2]);
      }
    }
    return cache;
  }

  static String bug(String unit, String source) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return unit + "@" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized String fix(String bug) {
    String id = fixes.get(bug);
    if (id != null) hits++;
    return id;
  }

  synchronized boolean wasTried(String bug, String patchId) {
    return tried.getOrDefault(bug, Set.of()).contains(patchId);
  }

  synchronized void fixed(String bug, String patchId) {
    fixes.put(bug, patchId);
  }

  synchronized void failed(String bug, String patchId) {
    tried.computeIfAbsent(bug, k -> new HashSet<>()).add(patchId);
  }

  synchronized int hits() {
    return hits;
  }

  /** Writes the file whole, then moves it into place, so a crash never leaves half a cache. */
  synchronized void save() throws IOException {
    if (file == null) return;
    List<String> lines = new ArrayList<>();
    fixes.forEach((bug, id) -> lines.add("fix\t" + bug + "\t" + id));
    tried.forEach((bug, ids) -> ids.forEach(id -> lines.add("tried\t" + bug + "\t" + id)));
    lines.sort(null);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "fix-cache", ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
