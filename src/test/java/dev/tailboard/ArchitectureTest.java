package dev.tailboard;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of {@code src/main/java/dev/tailboard} stays acyclic and one-way (see
 * docs/architecture.md): transport ({@code web}, {@code ui}) → features ({@code rooms} → {@code
 * builds}) → {@code auth}, {@code net}, {@code hub} → {@code store} → the leaves ({@code config},
 * {@code support}, {@code masks}, {@code metrics}), which import nothing of ours.
 */
@AnalyzeClasses(packages = "dev.tailboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] LEAVES = {
    "dev.tailboard.config..",
    "dev.tailboard.support..",
    "dev.tailboard.masks..",
    "dev.tailboard.metrics.."
  };

  @ArchTest
  static final ArchRule noCycleBetweenPackages =
      slices().matching("dev.tailboard.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule eachPackageOnlyImportsTheLayersBelowIt =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Transport")
          .definedBy("dev.tailboard.web..", "dev.tailboard.ui..")
          .layer("Rooms")
          .definedBy("dev.tailboard.rooms..")
          .layer("Builds")
          .definedBy("dev.tailboard.builds..")
          .layer("Access")
          .definedBy("dev.tailboard.auth..", "dev.tailboard.net..")
          .layer("Hub")
          .definedBy("dev.tailboard.hub..")
          .layer("Store")
          .definedBy("dev.tailboard.store..")
          .layer("Leaves")
          .definedBy(LEAVES)
          .whereLayer("Transport")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Rooms")
          .mayOnlyBeAccessedByLayers("Transport")
          .whereLayer("Builds")
          .mayOnlyBeAccessedByLayers("Transport", "Rooms")
          .whereLayer("Access")
          .mayOnlyBeAccessedByLayers("Transport", "Rooms", "Builds")
          .whereLayer("Hub")
          .mayOnlyBeAccessedByLayers("Transport", "Rooms", "Builds")
          .whereLayer("Store")
          .mayOnlyBeAccessedByLayers("Transport", "Rooms", "Builds", "Hub")
          .whereLayer("Leaves")
          .mayOnlyBeAccessedByLayers("Transport", "Rooms", "Builds", "Access", "Hub", "Store");

  @ArchTest
  static final ArchRule storeAndHubNeverImportAFeatureOrTheTransport =
      noClasses()
          .that()
          .resideInAnyPackage("dev.tailboard.store..", "dev.tailboard.hub..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.tailboard.builds..",
              "dev.tailboard.rooms..",
              "dev.tailboard.web..",
              "dev.tailboard.ui..",
              "dev.tailboard.auth..",
              "dev.tailboard.net..");

  @ArchTest
  static final ArchRule buildsNeverImportsRooms =
      noClasses()
          .that()
          .resideInAPackage("dev.tailboard.builds..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tailboard.rooms..");

  @ArchTest static final ArchRule configIsALeaf = leaf("dev.tailboard.config..");

  @ArchTest static final ArchRule supportIsALeaf = leaf("dev.tailboard.support..");

  @ArchTest static final ArchRule masksIsALeaf = leaf("dev.tailboard.masks..");

  @ArchTest static final ArchRule metricsIsALeaf = leaf("dev.tailboard.metrics..");

  /** Classes of {@code leaf} use their own package and libraries, nothing else of Tailboard's. */
  private static ArchRule leaf(String leaf) {
    return classes()
        .that()
        .resideInAPackage(leaf)
        .should()
        .onlyDependOnClassesThat(
            not(resideInAPackage("dev.tailboard..")).or(resideInAPackage(leaf)))
        .as("classes in " + leaf + " should import nothing of Tailboard's but their own package");
  }
}
