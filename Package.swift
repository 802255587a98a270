// swift-tools-version:6.0
// Tideline: Chinese municipal news in, reporting tables out.
// Four worker executables talk only through a PostgreSQL job table (reached through libpq);
// the `tideline` CLI starts, inspects and steers them.
import PackageDescription

// The worker executables, one per `Stage` case (Sources/Queue/JobState.swift): a manifest cannot
// read the enum, so this list repeats it, and DeployTests checks the two agree.
let workers = ["tideline-fetch", "tideline-clean", "tideline-extract", "tideline-aggregate"]

let package = Package(
    name: "Tideline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tideline", targets: ["tideline"]),
    ] + workers.map { .executable(name: $0, targets: [$0]) },
    // Exact versions: no Package.resolved is committed, so the manifest pins what every build
    // (CI, a fresh clone, the Docker image) resolves. Raise them deliberately.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // TOML 1.0 for config/tideline.toml (toml++ underneath), instead of a hand-written subset.
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // System libraries: the C client of PostgreSQL and libxml2's HTML parser.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        // OpenCC: traditional → simplified with its standard t2s configuration (phrase-aware).
        .systemLibrary(name: "CLibOpenCC", path: "Sources/CLibOpenCC",
                       providers: [.apt(["libopencc-dev"]), .brew(["opencc"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // libcurl for the fetch stage: it can be told which checked address to connect to
        // (CURLOPT_RESOLVE), which URLSession cannot, so a host's DNS cannot change between the
        // address check and the connection.
        .systemLibrary(name: "CLibCurl", path: "Sources/CLibCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),

        // prctl(PR_SET_PDEATHSIG) for workers started by `up` (variadic C, so a C shim).
        .target(name: "CProcessShims", path: "Sources/CProcessShims"),
        // Running a short command to completion with its output captured (pdftotext, initdb, pg_ctl).
        .target(name: "ChildProcess", path: "Sources/ChildProcess"),
        // The only code that knows libpq.
        .target(name: "Postgres", dependencies: ["CLibPQ"], path: "Sources/Postgres"),
        // The job table: enqueue, claim, complete, retry, rescue; the worker runtime.
        .target(name: "Queue", dependencies: [
            "Postgres", .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Queue"),
        // Schema migrations and the pipeline's own tables (documents, articles, extractions, reports).
        .target(name: "Store", dependencies: ["Postgres", "TextCore"], path: "Sources/Store"),
        // The reports as pure functions of their rows: the terminal table and the HTML page.
        .target(name: "Reports", dependencies: ["Postgres", "Queue", "TextCore"], path: "Sources/Reports"),
        // The pure text core: decoding, cleaning, numbers, dates, extraction, aggregation keys.
        .target(name: "TextCore", dependencies: ["CLibXML2", "CLibOpenCC"], path: "Sources/TextCore"),
        // Tooling, not pipeline: the reference scorer of the gold sets (`tideline eval`, the tests' bars).
        .target(name: "Evaluation", path: "Sources/Tools/Evaluation"),
        // One folder per stage: thin handlers that claim, call the core, write and hand off.
        .target(name: "Stages", dependencies: [
            "Queue", "Store", "TextCore", "CLibCurl", "ChildProcess", .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Stages"),
        // What the CLI and the workers share: configuration, the embedded server, worker commands.
        .target(name: "Runtime", dependencies: [
            "Stages", "Queue", "Store", "Postgres", "TextCore", "CProcessShims", "ChildProcess",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], path: "Sources/Runtime"),

        .executableTarget(name: "tideline", dependencies: [
            "Runtime", "Stages", "Queue", "Store", "Postgres", "TextCore", "Reports", "Evaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/CLI"),

        // Fuzzing: libFuzzer entry points for clean and extract (scripts/fuzz/run), and a replayer of
        // their corpora that the regression tests run.
        .executableTarget(name: "tideline-fuzz", dependencies: ["TextCore"], path: "Sources/Fuzz"),

        // Test support: a worker for a synthetic `probe` stage, used by the queue's process tests.
        .executableTarget(name: "tideline-probe-worker", dependencies: ["Runtime", "Queue", "Postgres"],
                          path: "Tests/Support/ProbeWorker"),
        .target(name: "TestSupport", dependencies: ["Runtime", "Postgres", "Store"], path: "Tests/Support/Harness"),

        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "QueueTests", dependencies: ["Queue", "Postgres", "Store", "Runtime", "TestSupport"]),
        .testTarget(name: "TextCoreTests", dependencies: ["TextCore", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "PipelineTests", dependencies: ["Runtime", "Stages", "Store", "Queue", "Postgres", "TextCore", "Reports",
                                                          "Evaluation", "TestSupport"],
                    resources: [.copy("Fixtures")]),
    ] + workers.map {
        .executableTarget(name: $0, dependencies: ["Runtime"], path: "Sources/Workers/\($0)")
    },
    swiftLanguageModes: [.v6]
)
