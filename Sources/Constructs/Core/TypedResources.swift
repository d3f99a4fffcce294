// The typed L1 types the constructs build on and hand out (`table.resource` is a `DynamoDB.Table`,
// `function.resource` a `Lambda.Function`), re-exported: importing Constructs gives them, as
// aws-cdk-lib's aws-dynamodb gives CfnTable beside Table. They are the target L1ConstructTypes
// (Sources/L1/ConstructTypes, chosen by Scripts/generate-l1 from the names this folder writes);
// every other type of a service comes with its product, `import AWSDynamoDB`.
@_exported import L1ConstructTypes
