package dev.weft.server;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form layers, each using only those below it: store → request (errors,
 * typed fields, bodies) → query → http and otel (the routes) → the server, its commands and sync.
 * No package cycles.
 */
class ArchitectureTest {
  private static final JavaClasses SERVER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.weft.server");

  @Test
  void layersUseOnlyTheLayersBelowThem() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("store").definedBy("dev.weft.server.store..")
        .layer("request").definedBy("dev.weft.server.request..")
        .layer("query").definedBy("dev.weft.server.query..")
        .layer("http").definedBy("dev.weft.server.http..")
        .layer("otel").definedBy("dev.weft.server.otel..")
        .layer("server").definedBy("dev.weft.server")
        .whereLayer("server").mayNotBeAccessedByAnyLayer()
        .whereLayer("http").mayOnlyBeAccessedByLayers("server")
        .whereLayer("otel").mayOnlyBeAccessedByLayers("server")
        .whereLayer("query").mayOnlyBeAccessedByLayers("http", "server")
        .whereLayer("request").mayOnlyBeAccessedByLayers("query", "http", "otel", "server")
        .whereLayer("store").mayOnlyBeAccessedByLayers("request", "query", "http", "otel", "server")
        .check(SERVER);
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("dev.weft.server.(*)..").should().beFreeOfCycles().check(SERVER);
  }
}
