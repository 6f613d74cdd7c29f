package dev.weft.agent.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeaveExporterTest {
  @Test
  void bodiesAreSentUncompressedOnlyToThisMachine() {
    assertTrue(WeaveExporter.isLoopback("http://127.0.0.1:6345"));
    assertTrue(WeaveExporter.isLoopback("http://localhost:6345/"));
    assertTrue(WeaveExporter.isLoopback("http://[::1]:6345"));
    assertTrue(WeaveExporter.isLoopback("http://127.1.2.3"));
    assertFalse(WeaveExporter.isLoopback("https://trace.wandb.ai"));
    assertFalse(WeaveExporter.isLoopback("http://10.0.0.5:6345"));
    assertFalse(WeaveExporter.isLoopback("http://127.example.com"));
    assertFalse(WeaveExporter.isLoopback("not a url"));
    assertFalse(WeaveExporter.isLoopback("http://0.0.0.0:6345")); // WeaveExportIT sends compressed this way
  }
}
