import ArgumentParser
import Synthesis

/// The `synth` command line as a library: a package's executable hands it the function that
/// defines its infrastructure, and gets every command (synthesize, list, diff, check, review,
/// deploy, init) with the same behaviour as Stratus's own `synth`.
///
/// ```swift
/// import Stratus
///
/// @main enum Synth {
///     static func main() { StratusCLI.main(define: Infrastructure.define) }
/// }
/// ```
///
/// Paths are relative to the folder `synth` runs in (or `--root`): `Environments/`, `out/`, and
/// the code folders the stacks name (`Stacks/Functions/...`).
public enum StratusCLI {
    /// Parses the process's command line, runs the command and exits: status 0 on success, 1 when
    /// an input is wrong (every problem is printed to standard error), 64 for a usage mistake.
    ///
    /// - Parameter define: called once per environment with an empty `App` for it;
    ///   adds the stacks and constructs. It must depend on nothing but the app it is given (the
    ///   environment, the organisation), so that the same inputs always give the same output.
    public static func main(define: @escaping (App) -> Void) {
        definition = define
        Synth.main()
    }

    /// What ``main(define:)`` was given; read by every command that synthesizes.
    nonisolated(unsafe) static var definition: (App) -> Void = { _ in }
}
