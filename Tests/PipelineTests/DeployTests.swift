import Runtime
import XCTest
import Postgres
import Queue
import Store
import TestSupport

/// deploy/: the files parse, name real executables, the KEDA queries run against the real schema,
/// and the least-privilege roles run the pipeline.
final class DeployTests: XCTestCase {
    let deploy = TestPostgres.packageRoot.appendingPathComponent("deploy")
    let stages = Stage.allCases.map(\.rawValue)

    /// Package.swift lists the worker executables; the list must be the stages'.
    func testTheManifestsWorkersAreTheStages() throws {
        let manifest = try String(contentsOf: TestPostgres.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let line = try XCTUnwrap(manifest.split(separator: "\n").first { $0.hasPrefix("let workers = ") })
        XCTAssertEqual(String(line), "let workers = [" + stages.map { "\"tideline-\($0)\"" }.joined(separator: ", ") + "]")
    }

    /// The runtime image installs the Debian package of every C library the executables link
    /// directly (read from their ELF NEEDED entries; Swift's own libraries are linked statically
    /// in the image, libc's family is in every Debian image).
    func testTheDockerRuntimeInstallsEveryLibraryTheExecutablesLink() throws {
        let dockerfile = try String(contentsOf: deploy.appendingPathComponent("docker/Dockerfile"), encoding: .utf8)
        let runtime = try XCTUnwrap(dockerfile.components(separatedBy: "FROM debian").last)
        let base: Set<String> = ["libc.so.6", "libm.so.6", "libgcc_s.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1"]
        var checked = 0
        for exe in ["tideline"] + stages.map({ "tideline-\($0)" }) {
            let (code, elf) = try Workdir.run(["-d", TestPostgres.productsDirectory.appendingPathComponent(exe).path],
                                              in: TestPostgres.packageRoot, executable: URL(fileURLWithPath: "/usr/bin/readelf"))
            XCTAssertEqual(code, 0, elf)
            let needed = elf.split(separator: "\n").compactMap { line -> String? in
                guard line.contains("(NEEDED)"), let a = line.firstIndex(of: "["), let b = line.lastIndex(of: "]") else { return nil }
                return String(line[line.index(after: a)..<b])
            }.filter { !base.contains($0) && !$0.hasPrefix("libswift") && !$0.hasPrefix("libFoundation") && !$0.hasPrefix("lib_Foundation")
                       && !$0.hasPrefix("libdispatch") && !$0.hasPrefix("libBlocksRuntime") }
            for lib in needed {
                let (_, found) = try Workdir.run(["-c", "dpkg -S \"$(readlink -f \"$(ldconfig -p | awk '$1 == \"\(lib)\" {print $NF; exit}')\")\" | cut -d: -f1"],
                                                 in: TestPostgres.packageRoot, executable: URL(fileURLWithPath: "/bin/sh"))
                let package = found.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertFalse(package.isEmpty, "\(exe) links \(lib), which no Debian package here provides")
                XCTAssertTrue(runtime.contains(" \(package) ") || runtime.contains(" \(package)\n") || runtime.contains(" \(package) \\"),
                              "\(exe) links \(lib) (Debian \(package)); the runtime image does not install it")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// The image build is pinned and its context is only what it copies.
    func testTheImageBuildIsPinnedAndItsContextSmall() throws {
        let dockerfile = try String(contentsOf: deploy.appendingPathComponent("docker/Dockerfile"), encoding: .utf8)
        let from = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM swift:") }
        XCTAssertEqual(from.count, 1)
        XCTAssertTrue(from.first?.range(of: #"swift:\d+\.\d+\.\d+-"#, options: .regularExpression) != nil, "a full toolchain version: \(from)")
        let manifest = try String(contentsOf: TestPostgres.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let packages = manifest.split(separator: "\n").filter { $0.contains(".package(url:") }
        XCTAssertFalse(packages.isEmpty)
        for p in packages { XCTAssertTrue(p.contains("exact:"), "pinned: \(p)") }
        let ignore = try String(contentsOf: deploy.appendingPathComponent("docker/Dockerfile.dockerignore"), encoding: .utf8)
        let rules = ignore.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(rules.first, "*", "everything out by default")
        let copied = Set(dockerfile.split(separator: "\n").filter { $0.hasPrefix("COPY ") && !$0.contains("--from") }
                            .map { String($0.split(separator: " ")[1]).trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        XCTAssertEqual(Set(rules.dropFirst().map { String($0.dropFirst()) }), copied, "the context holds what the Dockerfile copies")
    }

    func testSystemdUnitsAreTemplatesThatStartTheirStage() throws {
        for stage in stages {
            let text = try String(contentsOf: deploy.appendingPathComponent("systemd/tideline-\(stage)@.service"), encoding: .utf8)
            var sections: [String: [String: String]] = [:]
            var current = ""
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix("[") {
                    XCTAssertTrue(line.hasSuffix("]"), line)
                    current = String(line.dropFirst().dropLast())
                    continue
                }
                let kv = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                XCTAssertEqual(kv.count, 2, "not key=value: \(line)")
                XCTAssertFalse(current.isEmpty, "a setting outside any section: \(line)")
                sections[current, default: [:]][kv[0]] = kv.count == 2 ? kv[1] : ""
            }
            XCTAssertEqual(Set(sections.keys), ["Unit", "Service", "Install"])
            XCTAssertTrue(sections["Unit"]?["Description"]?.contains("%i") == true)
            XCTAssertTrue(sections["Service"]?["ExecStart"]?.hasPrefix("/usr/local/bin/tideline-\(stage) ") == true)
            XCTAssertEqual(sections["Service"]?["KillSignal"], "SIGTERM")
            XCTAssertEqual(sections["Service"]?["User"], "tideline")
            XCTAssertEqual(sections["Service"]?["WorkingDirectory"], "/var/lib/tideline")
        }
        let users = try String(contentsOf: deploy.appendingPathComponent("systemd/tideline.sysusers"), encoding: .utf8)
        XCTAssertTrue(users.contains("u tideline "), "the units' user is created by sysusers.d")
    }

    /// Issue 15: every unit is hardened: `systemd-analyze security` rates its exposure 5.0 or
    /// below (it rated the first units 9.2, UNSAFE). Needs systemd-analyze (systemd); skipped
    /// without it, failed under CI.
    func testSystemdUnitsAreHardened() throws {
        let analyze = try requiredTool("systemd-analyze", why: "systemd-analyze security")
        let units = try FileManager.default.contentsOfDirectory(atPath: deploy.appendingPathComponent("systemd").path).filter { $0.hasSuffix(".service") }
        XCTAssertEqual(units.count, stages.count + 1, "a unit per stage and the metrics unit: \(units)")
        for unit in units.sorted() {
            let (code, out) = try Workdir.run(["security", "--offline=true", deploy.appendingPathComponent("systemd/\(unit)").path],
                                              in: TestPostgres.packageRoot, executable: analyze)
            XCTAssertEqual(code, 0, out)
            let line = try XCTUnwrap(out.split(separator: "\n").first { $0.contains("Overall exposure level") }, out)
            let score = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.last, String(line))
            XCTAssertLessThanOrEqual(score, 5.0, "\(unit): \(line)")
        }
    }

    /// `systemd-analyze verify` on every unit, as installed: the units are copied with their
    /// ExecStart pointing at the executables this build made (verify checks that they exist and
    /// run) and each template verified through an instance. Any message is a failure: verify
    /// exits 0 on keys it ignores (it found StartLimitIntervalSec in [Service], where systemd
    /// drops it).
    func testSystemdUnitsVerify() throws {
        let analyze = try requiredTool("systemd-analyze", why: "systemd-analyze verify")
        let units = try FileManager.default.contentsOfDirectory(atPath: deploy.appendingPathComponent("systemd").path).filter { $0.hasSuffix(".service") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tl-units-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for unit in units {
            let text = try String(contentsOf: deploy.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
            XCTAssertTrue(text.contains("ExecStart=/usr/local/bin/"), unit)
            try text.replacingOccurrences(of: "ExecStart=/usr/local/bin/", with: "ExecStart=\(TestPostgres.productsDirectory.path)/")
                .write(to: dir.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let instances = units.sorted().map { $0.replacingOccurrences(of: "@.service", with: "@1.service") }
        let (code, out) = try Workdir.run(["verify", "--man=no"] + instances, in: dir, executable: analyze)
        XCTAssertEqual(code, 0, out)
        XCTAssertEqual(out.trimmingCharacters(in: .whitespacesAndNewlines), "", "verify says nothing of a good unit")
    }

    /// The Kubernetes manifests against the API's own schemas (kubernetes-validate, strict: an
    /// unknown field is an error). KEDA's kinds are custom resources it has no schema for; their
    /// structure is checked in the test below. The migration Job is created with `generateName`
    /// (a new Job per image), which the tool does not accept in place of a name, so it checks a
    /// copy named.
    func testKubernetesManifestsValidateAgainstTheAPISchemas() throws {
        let validate = try requiredTool("kubernetes-validate", why: "validating the Kubernetes manifests (pip install kubernetes-validate)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tl-k8s-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: deploy.appendingPathComponent("kubernetes").path).sorted()
        where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: deploy.appendingPathComponent("kubernetes/\(name)"), encoding: .utf8)
            let copy = dir.appendingPathComponent(name)
            try text.replacingOccurrences(of: "generateName: ", with: "name: ").write(to: copy, atomically: true, encoding: .utf8)
            files.append(copy.path)
        }
        let (code, out) = try Workdir.run(["--strict"] + files, in: dir, executable: validate)
        XCTAssertEqual(code, 0, out)
        let lines = out.split(separator: "\n")
        // Four stage Deployments, the metrics Deployment and Service, the migration Job, the Secret.
        XCTAssertEqual(lines.filter { $0.contains("passed for resource") }.count, 8, out)
        for line in lines where !line.contains("passed for resource") {
            XCTAssertTrue(line.contains("keda.sh/"), "only KEDA's custom resources go unchecked: \(line)")
        }
    }

    /// The compose file against the Compose Specification's schema (check-jsonschema's copy).
    func testComposeFileValidatesAgainstTheComposeSpecification() throws {
        let check = try requiredTool("check-jsonschema", why: "validating compose.yaml (pip install check-jsonschema)")
        let (code, out) = try Workdir.run(["--builtin-schema", "vendor.compose-spec", deploy.appendingPathComponent("docker/compose.yaml").path],
                                          in: TestPostgres.packageRoot, executable: check)
        XCTAssertEqual(code, 0, out)
        XCTAssertTrue(out.contains("ok -- validation done"), out)
    }

    /// A tool found on PATH; skipped without it, a failure under CI (`.ci/run` installs it).
    private func requiredTool(_ name: String, why: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must have \(name) for \(why)") }
        throw XCTSkip("\(name) is not installed (\(why))")
    }

    /// YAML is read with Python's yaml module (PyYAML, which kubernetes-validate brings; Debian:
    /// python3-yaml); skipped without it, a failure under CI.
    func testComposeAndKubernetesFilesParseAndNameRealExecutables() throws {
        let script = """
        import json, sys, glob, yaml
        out = {}
        for f in sorted(glob.glob(sys.argv[1] + '/kubernetes/*.yaml')) + [sys.argv[1] + '/docker/compose.yaml']:
            out[f.split('/deploy/')[1]] = [d for d in yaml.safe_load_all(open(f)) if d]
        print(json.dumps(out))
        """
        let (code, output) = try runPython(script, [deploy.path])
        guard code == 0 else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must have python3 with yaml: \(output.prefix(200))") }
            throw XCTSkip("python3 with yaml is not available: \(output.prefix(200))")
        }
        let files = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [[String: Any]]])
        let executables = Set(["tideline"] + stages.map { "tideline-\($0)" })
        var kinds: [String: Int] = [:]
        for (name, docs) in files where name.hasPrefix("kubernetes/") {
            for doc in docs {
                let kind = try XCTUnwrap(doc["kind"] as? String, name)
                kinds[kind, default: 0] += 1
                if kind == "Deployment" || kind == "Job" {
                    let spec = (((doc["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
                    let containers = try XCTUnwrap(spec?["containers"] as? [[String: Any]], name)
                    for c in containers {
                        let command = try XCTUnwrap(c["command"] as? [String], name)
                        XCTAssertTrue(executables.contains(command[0]), "\(name): \(command)")
                        // Issue 15: workers and the migration run unprivileged on a read-only root.
                        do {
                            let security = c["securityContext"] as? [String: Any]
                            XCTAssertEqual(security?["readOnlyRootFilesystem"] as? Bool, true, name)
                            XCTAssertEqual(security?["allowPrivilegeEscalation"] as? Bool, false, name)
                            XCTAssertEqual((spec?["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool, true, name)
                        }
                    }
                    // KEDA owns a stage's replica count: a replicas field would reset it on every apply.
                    if name.hasSuffix("-deployment.yaml") { XCTAssertNil((doc["spec"] as? [String: Any])?["replicas"], name) }
                }
                if kind == "ScaledObject" {
                    let triggers = (doc["spec"] as? [String: Any])?["triggers"] as? [[String: Any]]
                    XCTAssertEqual(triggers?.first?["type"] as? String, "postgresql", name)
                }
            }
        }
        XCTAssertEqual(kinds["Deployment"], 5, "a Deployment per stage and the metrics one")
        XCTAssertEqual(kinds["ScaledObject"], 4)
        XCTAssertEqual(kinds["Job"], 1, "the migration Job")
        let compose = try XCTUnwrap(files["docker/compose.yaml"]?.first?["services"] as? [String: Any])
        for stage in stages { XCTAssertNotNil(compose["tideline-\(stage)"], "compose runs \(stage)") }
        XCTAssertNotNil(compose["postgres"])
        XCTAssertNotNil(compose["migrate"])
        let ports = (compose["metrics"] as? [String: Any])?["ports"] as? [String]
        XCTAssertEqual(ports, ["127.0.0.1:9464:9464"], "metrics published on loopback only")
    }

    func testEveryKEDAQueryRunsAgainstTheSchemaAndCountsAvailableJobs() throws {
        let yaml = try String(contentsOf: deploy.appendingPathComponent("kubernetes/keda-scaledobjects.yaml"), encoding: .utf8)
        let queries = yaml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("query: \"") }.map { String($0.dropFirst("query: \"".count).dropLast()) }
        XCTAssertEqual(queries.count, 4)
        let db = try Connection(try TestPostgres.freshDatabase())
        try JobQueue.enqueue(db, [NewJob(stage: "extract"), NewJob(stage: "extract"), NewJob(stage: "clean"),
                                  NewJob(stage: "extract", delay: 3600)])
        var counts: [String: Int] = [:]
        for (stage, q) in zip(stages, queries) {
            XCTAssertTrue(q.contains("'\(stage)'"), q)
            counts[stage] = try db.query(q).first!.decode(Int.self, 0)
        }
        XCTAssertEqual(counts, ["fetch": 0, "clean": 1, "extract": 2, "aggregate": 0], "due jobs only")
        try QueueAdmin.setPaused(db, stage: "extract", paused: true)
        XCTAssertEqual(try db.query(queries[2]).first!.decode(Int.self, 0), 0, "a paused stage asks for no replicas")
    }

    func testTheWorkerRoleRunsThePipelineAndCannotChangeTheSchema() throws {
        guard Workdir.isBuilt else { throw XCTSkip("tideline is not built; run `swift build` first") }
        let admin = try TestPostgres.freshDatabase(migrated: false)
        try Connection(admin).runScript(try String(contentsOf: deploy.appendingPathComponent("sql/roles.sql"), encoding: .utf8))
        let owner = admin.replacingOccurrences(of: "user=postgres", with: "user=tideline_owner")
        let worker = admin.replacingOccurrences(of: "user=postgres", with: "user=tideline_worker")
        XCTAssertThrowsError(try Schema.migrate(try Connection(worker)), "the worker role cannot create the schema")
        XCTAssertFalse(try Schema.migrate(try Connection(owner)).isEmpty)

        let text = Array("本报讯 昨天，全县新开工项目12个，总投资约35亿元。\n".utf8)
        let dir = try Workdir.make(["a.txt": text], manifest: """
            [{"file": "a.txt", "published": "2025-05-01", "home_region": "某某县"}]
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (code, out) = try Workdir.run(["up", "--source", "src"], in: dir, env: ["DATABASE_URL": worker])
        XCTAssertEqual(code, 0, out)
        XCTAssertFalse(out.contains("dead job"), out)
        let w = try Connection(worker)
        XCTAssertGreaterThan(try w.query("SELECT count(*) FROM indicators").first!.decode(Int.self, 0), 0)
        XCTAssertThrowsError(try w.execute("CREATE TABLE intruder (x int)")) { e in
            XCTAssertEqual((e as? PostgresError)?.sqlState, "42501", "\(e)")
        }
        XCTAssertThrowsError(try w.execute("DROP TABLE jobs"))
    }

    private func runPython(_ script: String, _ args: [String]) throws -> (Int32, String) {
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tl-\(UInt32.random(in: 0...UInt32.max)).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", file.path] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
