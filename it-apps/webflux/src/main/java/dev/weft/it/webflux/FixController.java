package dev.weft.it.webflux;

import dev.weft.Traced;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
public class FixController {
  private final FixService fixes;

  public FixController(FixService fixes) {
    this.fixes = fixes;
  }

  /** The upstream diagnosis and a patch written off the event loop, zipped into one answer. */
  @Traced
  @GetMapping("/fix/{id}")
  public Mono<Map<String, Object>> fix(@PathVariable("id") String id) {
    return fixes.diagnose(id).zipWith(fixes.patch(id))
        .map(both -> Map.<String, Object>of("id", id, "diagnosis", both.getT1(), "patch", both.getT2()));
  }

  @Traced
  @GetMapping("/stream/{n}")
  public Flux<String> stream(@PathVariable("n") int n) {
    return fixes.steps(n);
  }
}
