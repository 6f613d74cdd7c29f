package dev.weft.demo;

import dev.weft.Traced;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Proposes a patch: the fix cache's answer when it has one, else (with {@code --llm}) the model's
 * edit, else the next untried edit for the suspected kinds of bug, then for every other kind. The
 * order within a kind is shuffled by the seed, so a run is repeatable and different seeds search
 * differently.
 */
public class FixerAgent {
  private final CodeBase codeBase;
  private final FixCache cache;
  private final long seed;
  /** With {@code --llm}: asked for an edit before the rules; null goes by the rules alone. */
  private final ModelAdvisor model;

  FixerAgent(CodeBase codeBase, FixCache cache, long seed, ModelAdvisor model) {
    this.codeBase = codeBase;
    this.cache = cache;
    this.seed = seed;
    this.model = model;
  }

  /** Null when every edit has been tried. */
  @Traced
  public Patch generatePatch(String unit, Diagnosis diagnosis, int iteration) {
    String source = codeBase.unit(unit).source();
    String bug = FixCache.bug(unit, source);
    String known = iteration == 1 ? cache.fix(bug) : null;
    Patch earlier = known == null ? null : ModelAdvisor.fromId(known, unit, source, diagnosis.kind());
    if (earlier != null) return earlier.cached();
    if (model != null && known == null) {
      Patch proposed = asked(unit, source, diagnosis, bug);
      if (proposed != null) return proposed;
    }
    List<String> kinds = new ArrayList<>(diagnosis.suspects());
    for (String k : Mutations.KINDS) if (!kinds.contains(k)) kinds.add(k);
    Patch next = null;
    for (String kind : kinds) {
      List<Patch> candidates = Mutations.candidates(unit, source, kind);
      Collections.shuffle(candidates, new Random(seed * 31 + (unit + kind).hashCode()));
      for (Patch p : candidates) {
        if (p.id().equals(known)) return p.cached();
        if (next == null && !cache.wasTried(bug, p.id())) next = p;
      }
      if (next != null && known == null) break;
    }
    return next;
  }

  /** The model's edit; null (and the rules') when it fails, or proposes nothing new that fits. */
  private Patch asked(String unit, String source, Diagnosis diagnosis, String bug) {
    try {
      Patch p = model.patch(unit, source, diagnosis, id -> cache.wasTried(bug, id));
      if (p == null) System.err.println("patchpilot: fix of " + unit + ": the model's answer is no new edit of the source; going by the rules");
      return p;
    } catch (RuntimeException e) {
      System.err.println("patchpilot: fix of " + unit + ": the model failed (" + e + "); going by the rules");
      return null;
    }
  }
}
