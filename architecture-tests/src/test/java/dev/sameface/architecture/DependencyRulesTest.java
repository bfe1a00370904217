package dev.sameface.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules of docs/architecture.md, checked on the production classes of every module (their jars, as this
 * module depends on all of them). The pipeline's compiler already cannot see the built-in stages; these rules also
 * hold for what a compiler cannot catch: a module that merely happens to have a forbidden jar on its class path.
 * Plain JUnit tests rather than ArchUnit's {@code @ArchTest} fields, which Surefire 3.5.3 silently does not run.
 */
class DependencyRulesTest {
    private static final String JDK = "java..";
    private static final String API = "dev.sameface.api..";
    private static final String KIT = "dev.sameface.kit..";
    private static final String[] BACKENDS = {"dev.sameface.onnx..", "dev.sameface.openvino..", "dev.sameface.djl.."};
    /**
     * Facts two engines share (how an ONNX Runtime session is configured; the TorchScript export's sidecar), each in a
     * module of its own that depends on the api only, so that no backend depends on another.
     */
    private static final String ORT_SETTINGS = "dev.sameface.onnxruntime..";
    private static final String SIDECAR = "dev.sameface.torchscript..";
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sameface");
        // A rule over no classes passes: make sure every module's classes are really there.
        for (String pkg : new String[]{"api", "kit", "stages", "pipeline", "onnxruntime", "torchscript", "onnx", "openvino", "djl",
                "evaluation", "frvt", "server", "cli", "examples.retinaface", "conformance", "spark"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.sameface." + pkg)))
                    .as("classes of dev.sameface.%s on the class path", pkg).isTrue();
        }
    }

    @Test
    void apiDependsOnTheJdkAlone() {
        classes().that().resideInAPackage(API)
                // javax.crypto is java.base's, like java..: template MACs and encryption need it and nothing more.
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "javax.crypto..", API)
                .because("the api is what every plugin and engine compiles against: JDK only").check(classes);
    }

    @Test
    void kitDependsOnTheApiAlone() {
        classes().that().resideInAPackage(KIT)
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "jdk.incubator.vector..", API, KIT)
                .because("a plugin author adds the kit and gets nothing but the api with it").check(classes);
    }

    @Test
    void builtInStagesUseApiAndKitOnly() {
        classes().that().resideInAPackage("dev.sameface.stages..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, "jdk.incubator.vector..", API, KIT, "dev.sameface.stages..")
                .because("the built-in stages are plugins like any other").check(classes);
    }

    @Test
    void examplePluginUsesApiAndKitOnly() {
        classes().that().resideInAPackage("dev.sameface.examples.retinaface..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(JDK, API, KIT, "dev.sameface.examples.retinaface..")
                .because("the third-party plugin example shows what a plugin may use").check(classes);
    }

    @Test
    void sharedEngineSettingsUseTheApiOnly() {
        for (String shared : new String[]{ORT_SETTINGS, SIDECAR}) {
            noClasses().that().resideInAPackage(shared)
                    .should().dependOnClassesThat(resideInAPackage("dev.sameface..").and(not(resideInAnyPackage(API, shared))))
                    .because("a fact two engines share must not bring either engine, or anything else of ours, along").check(classes);
        }
    }

    @Test
    void onnxBackendUsesOnlyTheApi() {
        backendUsesOnlyTheApi("dev.sameface.onnx..").check(classes);
    }

    @Test
    void openVinoBackendUsesOnlyTheApi() {
        backendUsesOnlyTheApi("dev.sameface.openvino..").check(classes);
    }

    @Test
    void djlBackendUsesOnlyTheApi() {
        backendUsesOnlyTheApi("dev.sameface.djl..").check(classes);
    }

    @Test
    void pipelineNamesNoStageAndNoEngine() {
        noClasses().that().resideInAPackage("dev.sameface.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(BACKENDS, "dev.sameface.stages..", "dev.sameface.examples.."))
                .because("the pipeline finds stages and engines through ServiceLoader only").check(classes);
    }

    @Test
    void detectorConformanceSuiteFindsDetectorsAndEnginesThroughThePipelineOnly() {
        classes().that().resideInAPackage("dev.sameface.conformance..")
                .should().onlyDependOnClassesThat(resideInAPackage("dev.sameface..").negate()
                        .or(resideInAnyPackage(API, "dev.sameface.pipeline..", "dev.sameface.conformance..")))
                .because("the suite loads a detector the way production does (ServiceLoader through the pipeline), never by its class").check(classes);
    }

    @Test
    void frvtIsTheContractOverThePipelineAndNamesNoStageEngineOrCommand() {
        noClasses().that().resideInAPackage("dev.sameface.frvt..")
                .should().dependOnClassesThat(resideInAPackage("dev.sameface..")
                        .and(not(resideInAnyPackage(API, "dev.sameface.pipeline..", "dev.sameface.frvt.."))))
                .because("the FRVT facade drives the pipeline as any caller does; the cli and evaluation build on it, not it on them")
                .check(classes);
    }

    @Test
    void serverUsesTheApiAndThePipelineOnly() {
        noClasses().that().resideInAPackage("dev.sameface.server..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(BACKENDS, "dev.sameface.stages..", KIT, "dev.sameface.evaluation..",
                        "dev.sameface.cli..", "dev.sameface.examples.."))
                .because("the server serves whatever pipeline the configuration builds; engines and stages come through ServiceLoader").check(classes);
    }

    @Test
    void sparkJobsNameNoEngineNoStageAndNoCommandAndNothingNamesThem() {
        // Engines and stages are found at run time on each executor; Spark's jars stay off every other class path.
        noClasses().that().resideInAPackage("dev.sameface.spark..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(BACKENDS, "dev.sameface.stages..", "dev.sameface.cli.."))
                .because("the Spark jobs use the pipeline and evaluation libraries like any program").check(classes);
        noClasses().that().resideOutsideOfPackage("dev.sameface.spark..")
                .should().dependOnClassesThat().resideInAPackage("dev.sameface.spark..")
                .because("nothing else may pull Spark's dependency tree in").check(classes);
    }

    @Test
    void noCyclesBetweenModules() {
        slices().matching("dev.sameface.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        // The api's two packages are one unit: api.engine throws the api's one exception family, and StageContext hands
        // out engine models. Every other package is its own slice.
        slices().matching("dev.sameface.(**)").should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage(API), resideInAPackage(API)).check(classes);
    }

    /**
     * Of our own code, a backend sees the api, the shared engine facts and itself; it never sees another backend, the
     * pipeline or the kit.
     */
    private static ArchRule backendUsesOnlyTheApi(String backend) {
        return noClasses().that().resideInAPackage(backend)
                .should().dependOnClassesThat(resideInAPackage("dev.sameface..")
                        .and(not(resideInAnyPackage(API, ORT_SETTINGS, SIDECAR, backend))))
                .because("backends depend on the api only and never on each other");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
