// Synthesis benchmark: builds generated apps of a given number of resources across many
// stacks, synthesizes them (tree, references, templates, plan) and writes the files, then
// prints the resource count, wall seconds and peak memory.
//
//     swift run -c release synth-bench            # 1,000 and 10,000 resources, 3 runs each
//     swift run -c release synth-bench 50000      # other sizes
//     SYNTH_BENCH_KEEP=/tmp/a synth-bench --child 10000   # one run, its files kept in /tmp/a
//
// Each run is a child process, so that its peak memory (getrusage ru_maxrss) is its own.
import CloudFormation
import Constructs
import Foundation
import Plan
import Synthesis

#if canImport(Glibc)
import Glibc
#endif

let resourcesPerStack = 100

/// An environment app with `resources` resources in stacks of 100, shaped like a real service:
/// a hosted zone, a table, an HTTP API with a stage, fifteen functions (log group, role with a
/// table grant, function, integration, permission, route), DNS records to fill up, and an NS
/// record whose values are the previous stack's name servers, so that every stack but the first
/// takes a value from another (Output -> Parameter) and the plan is a chain as deep as there are
/// stacks.
func generatedApp(resources: Int) -> App {
    let organisation = Organisation(
        domain: "example.com",
        management: Account(name: "management", id: "100000000001", region: "eu-west-1"),
        network: Account(name: "network", id: "100000000002", region: "eu-west-1"),
        cicd: Account(name: "cicd", id: "100000000003", region: "eu-west-1"),
        file: "Environments/organisation.yaml")
    let environment = Environment(
        name: "bench", account: Account(name: "bench", id: "200000000001", region: "eu-west-1"),
        domain: "bench.example.com", file: "Environments/bench.yaml")
    let app = App(environment: environment, organisation: organisation)
    let stackCount = max(1, resources / resourcesPerStack)
    var previousZone: HostedZone?
    for index in 0..<stackCount {
        let stack = Stack(in: app, "Service\(index)")
        let zone = HostedZone(in: stack, "Zone", name: "s\(index).bench.example.com")
        let table = Table(in: stack, "Items", partitionKey: .string("PK"), sortKey: .string("SK"))
        let api = HttpApi(in: stack, "Api", defaultAuthorizer: .jwt(issuer: "https://issuer.example.com/", audiences: ["bench"]))
        api.addStage("live")
        var made = 6  // zone, table, api, authorizer, stage, access logs
        if let previousZone {
            RecordSet(in: stack, "Previous", zone: zone, name: "prev.s\(index).bench.example.com", type: .ns, target: .list(previousZone.nameServers))
            made += 1
        }
        var function = 0
        while made + 6 <= resourcesPerStack && made + 6 <= resources {
            let handler = Function(in: stack, "Handler\(function)", handler: "app.handler", code: .inline("def handler(e, c):\n    return \(function)\n"),
                                   environment: ["TABLE": table.name])
            table.grantReadWrite(to: handler)
            api.addRoute("GET /items/\(function)/{id}", to: handler)
            function += 1
            made += 6
        }
        var record = 0
        while made < resourcesPerStack && made < resources {
            RecordSet(in: stack, "Txt\(record)", zone: zone, name: "r\(record).s\(index).bench.example.com", type: .txt,
                      target: .values([.string("v=spf1 include:\(record).example.org -all")]))
            record += 1
            made += 1
        }
        previousZone = zone
    }
    return app
}

struct Measurement {
    var resources = 0
    var stacks = 0
    var build = 0.0
    var synthesize = 0.0
    var validate = 0.0
    var render = 0.0
    var write = 0.0
    var total: Double { build + synthesize + validate + render + write }
    var peakMB = 0.0
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

func measureOnce(resources: Int) throws -> Measurement {
    var measurement = Measurement()
    var app: App!
    var synthesized: SynthesizedApp!
    var output: EnvironmentOutput!
    measurement.build = seconds { app = generatedApp(resources: resources) }
    measurement.synthesize = try seconds { synthesized = try Synthesizer.synthesize(app, validator: nil) }
    // What synthesis does when it validates (the default): every template against the registry
    // schemas, and reference cycles inside each stack. Timed on its own to show its share.
    measurement.validate = seconds {
        let validator = SchemaValidator()
        for checked in validator.check(synthesized.stacks.map(\.template)) {
            precondition(checked.problems.isEmpty && checked.cycle == nil)
        }
    }
    measurement.render = seconds { output = EnvironmentOutput(synthesized) }
    // SYNTH_BENCH_KEEP=<folder> writes the files there and keeps them, to compare two builds' output.
    let keep = ProcessInfo.processInfo.environment["SYNTH_BENCH_KEEP"].map { URL(fileURLWithPath: $0) }
    let folder = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("synth-bench-\(getpid())")
    measurement.write = try seconds {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // As synth stages out/: every file written, then flushed to disk (FileSystem.write).
        if let (path, problem) = FileSystem.write(output.files.map { (folder.appendingPathComponent($0.path).path, $0.contents) }) {
            fatalError("cannot write \(path): \(problem)")
        }
    }
    if keep == nil { try? FileManager.default.removeItem(at: folder) }
    measurement.resources = synthesized.stacks.reduce(0) { $0 + $1.template.resources.count }
    measurement.stacks = synthesized.stacks.count
    measurement.peakMB = peakMegabytes()
    return measurement
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--child", arguments.count == 2, let size = Int(arguments[1]) {
    let m = try measureOnce(resources: size)
    print("\(m.resources) \(m.stacks) \(m.build) \(m.synthesize) \(m.validate) \(m.render) \(m.write) \(m.peakMB)")
    exit(0)
}

let sizes = arguments.isEmpty ? [1_000, 10_000] : arguments.compactMap(Int.init)
let runs = 3
print("Stratus synthesis benchmark: \(runs) runs per size, each in its own process; median wall time, largest peak RSS.")
print("resources  stacks  build s  synth s  validate s  render s  write s  total s  peak MB")
for size in sizes {
    var measurements: [Measurement] = []
    for _ in 0..<runs {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--child", String(size)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
        guard process.terminationStatus == 0, fields.count == 8 else {
            FileHandle.standardError.write(Data("run for \(size) resources failed\n".utf8))
            exit(1)
        }
        measurements.append(Measurement(
            resources: Int(fields[0]), stacks: Int(fields[1]), build: fields[2], synthesize: fields[3],
            validate: fields[4], render: fields[5], write: fields[6], peakMB: fields[7]))
    }
    let median = measurements.sorted { $0.total < $1.total }[runs / 2]
    let peak = measurements.map(\.peakMB).max() ?? 0
    print(String(
        format: "%9d  %6d  %7.3f  %7.3f  %10.3f  %8.3f  %7.3f  %7.3f  %7.1f",
        median.resources, median.stacks, median.build, median.synthesize, median.validate, median.render, median.write, median.total, peak))
}
