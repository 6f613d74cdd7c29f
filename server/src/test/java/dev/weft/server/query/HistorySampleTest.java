package dev.weft.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.server.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistorySampleTest {
  @Test
  void aLongHistoryKeepsItsEndsAndSpikesInStepOrder() {
    List<RunStore.Point> points = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      double v = i == 31_337 ? 99 : i == 77_777 ? -5 : Math.sin(i / 1000.0);
      points.add(new RunStore.Point(i, 0, "loss", v, null));
      if (i % 10 == 0) points.add(new RunStore.Point(i, 0, "lr", 0.1, null));
    }
    points.sort((a, b) -> Long.compare(a.step(), b.step()));
    List<RunStore.Point> sampled = HistorySample.of(points, 500);
    List<RunStore.Point> loss = sampled.stream().filter(p -> p.name().equals("loss")).toList();
    assertTrue(loss.size() <= 500 && loss.size() > 400, "about 500: " + loss.size());
    assertEquals(0, loss.get(0).step());
    assertEquals(99_999, loss.get(loss.size() - 1).step());
    assertTrue(loss.stream().anyMatch(p -> p.step() == 31_337 && p.value() == 99), "the spike");
    assertTrue(loss.stream().anyMatch(p -> p.step() == 77_777 && p.value() == -5), "the dip");
    for (int i = 1; i < loss.size(); i++) assertTrue(loss.get(i).step() > loss.get(i - 1).step(), "in step order");
    long lr = sampled.stream().filter(p -> p.name().equals("lr")).count();
    assertTrue(lr <= 500 && lr >= 250, "each metric sampled on its own: " + lr);
  }

  @Test
  void aShortHistoryIsLeftWhole() {
    List<RunStore.Point> points = List.of(new RunStore.Point(0, 0, "x", 1, null), new RunStore.Point(1, 0, "x", 2, null));
    assertEquals(points, HistorySample.of(points, 500));
  }
}
