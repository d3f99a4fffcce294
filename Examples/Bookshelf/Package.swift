// swift-tools-version: 6.0
// An example of a repository that uses Stratus as a package: its own Environments/, its own
// Stacks/ and its own `synth`. It depends on the Stratus checkout two folders up by path; a real
// repository writes `.package(url: "https://github.com/brainfartlab/stratus.git", from: "0.1.0")`.
import PackageDescription

let package = Package(
    name: "Bookshelf",
    platforms: [.macOS(.v13)],
    products: [
        // swift run synth dev. The target has another name: Stratus has a target called synth.
        .executable(name: "synth", targets: ["SynthCommand"]),
    ],
    dependencies: [
        .package(name: "Stratus", path: "../.."),
    ],
    targets: [
        // The infrastructure. Stacks/Functions/ holds the Lambda code the stacks package.
        // "Stratus" (the hand-written layers and the command line) and one typed L1 service.
        .target(name: "Bookshelf", dependencies: [.product(name: "Stratus", package: "Stratus"), .product(name: "AWSSSM", package: "Stratus")], path: "Stacks", exclude: ["Functions"]),
        .executableTarget(name: "SynthCommand", dependencies: ["Bookshelf", .product(name: "Stratus", package: "Stratus")], path: "Sources/synth"),
    ]
)
