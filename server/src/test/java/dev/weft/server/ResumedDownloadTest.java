package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.artifact.ArtifactClient;
import dev.weft.wire.artifact.Manifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A download whose connection breaks on the way is taken up where it broke (a Range request),
 * and still checked against its SHA-256 whole; a server that ignores Range sends it all again.
 * The server here is a plain socket that cuts each answer short, as a flaky network would.
 */
class ResumedDownloadTest {
  private static final Pattern RANGE = Pattern.compile("(?i)^range: bytes=(\\d+)-$");

  /**
   * Answers GETs for one file, the first {@code cuts} answers cut after {@code cut} bytes (-1: all
   * of them); honours Range unless told not to.
   */
  static final class FlakyServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Long> asked = new CopyOnWriteArrayList<>();
    final Thread thread;

    FlakyServer(byte[] file, int cut, int cuts, boolean ranges) throws IOException {
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket s = socket.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            long from = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
              Matcher m = RANGE.matcher(line);
              if (m.matches()) from = Long.parseLong(m.group(1));
            }
            asked.add(from);
            if (!ranges) from = 0;
            long length = file.length - from;
            String head = (from > 0 ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (file.length - 1)
                + "/" + file.length : "HTTP/1.1 200 OK") + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            boolean cutShort = cuts < 0 || asked.size() <= cuts;
            out.write(file, (int) from, (int) (cutShort ? Math.min(cut, length) : length));
            out.flush();
          } catch (IOException e) {
            // closed: the test is over
          }
        }
      }, "flaky-server");
      thread.setDaemon(true);
      thread.start();
    }

    String base() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static byte[] file() {
    byte[] file = new byte[300_000];
    new Random(3).nextBytes(file);
    return file;
  }

  static ObjectNode version(byte[] file) {
    ObjectNode v = ServerFixture.JSON.createObjectNode();
    v.putArray("files").addObject().put("path", "weights.bin").put("digest", Manifest.hex(Manifest.sha256().digest(file)))
        .put("size", file.length);
    return v;
  }

  @Test
  void aBrokenDownloadGoesOnFromWhereItBroke() throws Exception {
    assertEquals(List.of(0L, 100_000L, 200_000L), downloadedThrough(-1, true), "each try asks for the rest");
  }

  @Test
  void aServerThatIgnoresRangesSendsTheFileAgainAndItIsStillRight() throws Exception {
    assertEquals(List.of(0L, 100_000L), downloadedThrough(1, false));
  }

  /**
   * Downloads the file through a server that cuts its first {@code cuts} answers (-1: all) at
   * 100,000 bytes, checks that it arrived whole, and returns where each try asked to start.
   */
  private static List<Long> downloadedThrough(int cuts, boolean ranges) throws Exception {
    byte[] file = file();
    Path dir = Files.createTempDirectory("weft-resume");
    try (FlakyServer server = new FlakyServer(file, 100_000, cuts, ranges)) {
      client(server).download(version(file), dir);
      assertArrayEquals(file, Files.readAllBytes(dir.resolve("weights.bin")));
      return server.asked;
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void aDownloadThatKeepsBreakingFailsAfterItsTriesAndLeavesNoPartOfAFile() throws Exception {
    byte[] file = file();
    Path dir = Files.createTempDirectory("weft-resume");
    try (FlakyServer server = new FlakyServer(file, 100_000, -1, false)) {
      IOException e = assertThrows(IOException.class, () -> client(server).download(version(file), dir));
      assertEquals(5, server.asked.size(), "five tries, then the error: " + e);
    }
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "no file that is not whole, and no part of one");
    }
    TempDirs.delete(dir);
  }

  private static ArtifactClient client(FlakyServer server) {
    return new ArtifactClient(new JdkArtifactHttp(server.base(), null));
  }
}
