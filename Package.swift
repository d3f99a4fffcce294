// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Stratus",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "synth", targets: ["synth"]),
    ],
    dependencies: [
        // Reading environment files (with line/column marks). Writing goes through system libyaml.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            path: "Sources/CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Template model, values, diagnostics and the canonical YAML writer. No file I/O.
        .target(name: "CloudFormation", dependencies: ["CLibYAML"]),
        // Construct tree, environments, logical ids, reference resolution.
        .target(
            name: "Synthesis",
            dependencies: ["CloudFormation", .product(name: "Yams", package: "Yams")]
        ),
        // Hand-written constructs, one folder per AWS service.
        .target(name: "Constructs", dependencies: ["CloudFormation", "Synthesis"]),
        // Deploy plan (plan.json, plan.md).
        .target(name: "Plan", dependencies: ["CloudFormation", "Synthesis"]),
        // The organisation's infrastructure, written in the DSL.
        // Stacks/Functions holds the Lambda code the stacks package; it is not Swift.
        .target(name: "Stacks", dependencies: ["Constructs", "Synthesis"], path: "Stacks", exclude: ["Functions"]),
        .executableTarget(
            name: "synth",
            dependencies: [
                "CloudFormation", "Synthesis", "Constructs", "Plan", "Stacks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Synthesis benchmark: swift run -c release synth-bench (see Scripts/benchmark).
        .executableTarget(
            name: "synth-bench",
            dependencies: ["CloudFormation", "Synthesis", "Constructs", "Plan"],
            path: "Benchmarks/SynthBenchmark"
        ),
        // Fixtures shared by the test targets (environments, a throwaway app, temporary folders).
        .target(name: "TestSupport", dependencies: ["CloudFormation", "Synthesis", "Plan"], path: "Tests/TestSupport"),
        .testTarget(name: "CloudFormationTests", dependencies: ["CloudFormation"]),
        .testTarget(name: "SynthesisTests", dependencies: ["CloudFormation", "Synthesis", "Constructs", "Plan", "Stacks", "TestSupport"]),
        .testTarget(name: "ConstructsTests", dependencies: ["CloudFormation", "Synthesis", "Constructs", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["synth", "TestSupport"]),
    ]
)
