// The umbrella module: `import Stratus` gives the template model, synthesis, the constructs,
// the typed L1 foundation, the deploy plan and the command line. The typed L1 resources of each
// AWS service are their own products (`AWSEvents`, `AWSStepFunctions`), imported one by one.
@_exported import CloudFormation
@_exported import Constructs
@_exported import L1Core
@_exported import Plan
@_exported import StratusCLI
@_exported import Synthesis
