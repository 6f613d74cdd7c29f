package dev.weft.agent;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages form layers, each using only those below it: base (log, failures, clock)
 * → capture → bootstrap (calls, context, hand-offs, the sink) → run and llm (LLM calls: how
 * integrations record them, how they are decoded) → export (and its weave exporter), weave (the
 * weaving) and integration (loading the integrations with libraries) → the agent's entry points.
 * No package cycles.
 */
class ArchitectureTest {
  private static final JavaClasses AGENT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.weft.agent");

  @Test
  void layersUseOnlyTheLayersBelowThem() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("base").definedBy("dev.weft.agent.base..")
        .layer("capture").definedBy("dev.weft.agent.capture..")
        .layer("bootstrap").definedBy("dev.weft.agent.bootstrap..")
        .layer("run").definedBy("dev.weft.agent.run..")
        .layer("llm").definedBy("dev.weft.agent.llm..")
        .layer("export").definedBy("dev.weft.agent.export..")
        .layer("weave").definedBy("dev.weft.agent.weave..")
        .layer("integration").definedBy("dev.weft.agent.integration..")
        .layer("agent").definedBy("dev.weft.agent")
        .whereLayer("agent").mayNotBeAccessedByAnyLayer()
        .whereLayer("weave").mayOnlyBeAccessedByLayers("agent")
        .whereLayer("integration").mayOnlyBeAccessedByLayers("weave", "agent")
        .whereLayer("export").mayOnlyBeAccessedByLayers("agent")
        .whereLayer("run").mayOnlyBeAccessedByLayers("export", "agent")
        .whereLayer("llm").mayOnlyBeAccessedByLayers("export", "agent")
        .whereLayer("bootstrap").mayOnlyBeAccessedByLayers("run", "llm", "export", "weave", "integration", "agent")
        .whereLayer("capture").mayOnlyBeAccessedByLayers("bootstrap", "run", "llm", "export", "weave", "integration", "agent")
        .whereLayer("base").mayOnlyBeAccessedByLayers("capture", "bootstrap", "run", "llm", "export", "weave", "integration", "agent")
        .check(AGENT);
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("dev.weft.agent.(*)..").should().beFreeOfCycles().check(AGENT);
  }
}
