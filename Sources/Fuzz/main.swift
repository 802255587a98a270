// tideline-fuzz: libFuzzer entry points for the text core, and a replayer of their corpora.
//
//   tideline-fuzz clean|extract FILE|DIR…        replay inputs (the regression tests do this)
//   scripts/fuzz/run clean|extract SECONDS         build with -sanitize=fuzzer,address and fuzz
//
// Built normally it replays; built with `-Xswiftc -DTIDELINE_FUZZ -Xswiftc -sanitize=fuzzer,address`
// it hands control to libFuzzer's driver (LLVMFuzzerRunDriver), so SwiftPM's own entry point
// stays the program's main and libFuzzer's is not needed.
import Foundation
import TextCore

/// What one input goes through: the clean stage's core on raw bytes, or the extractor on text.
enum FuzzTarget: String, CaseIterable {
    case clean, extract

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .clean:
            _ = try? Cleaner.clean(.init(bytes: Array(bytes), contentType: nil, published: "2025-06-10", url: nil, sourceID: "fuzz"))
        case .extract:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = Fuzzing.extractor.extract(ArticleText(text: text, headline: nil, published: "2025-06-10", homeRegion: "舟山市"))
        }
    }
}

enum Fuzzing {
    /// Set once in main before any input runs; libFuzzer calls back on the same thread.
    nonisolated(unsafe) static var target = FuzzTarget.clean
    static let extractor: Extractor = {
        let config = URL(fileURLWithPath: ProcessInfo.processInfo.environment["TIDELINE_CONFIG_DIR"] ?? "config")
        do { return Extractor(lexicon: try Lexicon.load(lexiconDir: config)) } catch {
            FileHandle.standardError.write(Data("tideline-fuzz: \(error)\n".utf8)); exit(2)
        }
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Fuzzing.target.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

var arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: tideline-fuzz clean|extract [FILE|DIR…] (or libFuzzer options in a fuzzing build)\n".utf8))
    exit(64)
}
Fuzzing.target = target
if target == .extract { _ = Fuzzing.extractor }
arguments.remove(at: 1)

#if TIDELINE_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CInt(arguments.count)
var cArgs: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
let status = cArgs.withUnsafeMutableBufferPointer { buffer -> CInt in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput)
}
exit(status)
#else
// Replay: every file named, or every file in every folder named.
var count = 0
for path in arguments.dropFirst() {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        FileHandle.standardError.write(Data("tideline-fuzz: no file or folder \(path)\n".utf8)); exit(66)
    }
    let files = isDir.boolValue
        ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
        : [path]
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        data.withUnsafeBytes { target.run($0.bindMemory(to: UInt8.self)) }
        count += 1
    }
}
print("replayed \(count) input(s) through \(target.rawValue) without a crash")
#endif
