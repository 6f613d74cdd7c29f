package dev.weft.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.capture.Capture;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Appends one JSON object per finished call, in Weave's call schema, to a file. */
public final class JsonlExporter implements CallExporter {
  private final Path path;
  private final CallJson json;
  private JsonGenerator gen;

  public JsonlExporter(Path path, String projectId) {
    this.path = path;
    this.json = new CallJson(projectId, op -> op.name, null);
  }

  @Override
  public String name() {
    return "jsonl";
  }

  @Override
  public void export(List<Call> running, List<Call> ended) throws IOException {
    if (ended.isEmpty()) return;
    JsonGenerator g = generator();
    for (Call call : ended) {
      json.writeCall(g, call);
    }
    g.flush();
  }

  private JsonGenerator generator() throws IOException {
    if (gen == null) {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      gen = Capture.jsonFactory()
          .createGenerator(new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 1 << 16));
      gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }
    return gen;
  }

  @Override
  public void flush() throws IOException {
    if (gen != null) gen.flush();
  }

  @Override
  public void close() throws IOException {
    if (gen != null) {
      gen.writeRaw('\n');
      gen.close();
      gen = null;
    }
  }
}
