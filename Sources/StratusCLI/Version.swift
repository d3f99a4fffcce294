/// The version of the Stratus package, semantic versioning of its public API (see CHANGELOG.md):
/// `synth --version` prints it and `synth init` depends on it.
public enum StratusVersion {
    public static let current = "0.1.0"
    /// Where the Stratus package is published; `synth init` depends on it unless `--stratus` says otherwise.
    public static let repositoryURL = "https://github.com/brainfartlab/stratus.git"
}
