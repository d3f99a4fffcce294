// The typed L1 types the constructs build on and hand out (`table.resource` is a `DynamoDB.Table`,
// `function.resource` a `Lambda.Function`), re-exported: importing Constructs gives them, as
// aws-cdk-lib's aws-dynamodb gives CfnTable beside Table. They are the core targets of their
// services (Sources/L1/<Service>/Core, chosen by Scripts/generate-l1 from the names this folder
// writes); every other type of a service comes with its product, `import AWSDynamoDB`.
@_exported import AWSDynamoDBCore
@_exported import AWSEventsCore
@_exported import AWSKMSCore
@_exported import AWSLambdaCore
@_exported import AWSLogsCore
@_exported import AWSRoute53Core
@_exported import AWSS3Core
@_exported import AWSSNSCore
@_exported import AWSSQSCore
@_exported import AWSSSMCore
@_exported import AWSSecretsManagerCore
@_exported import AWSStepFunctionsCore
