/// IAM actions a Lambda function's execution role needs.
enum LambdaPermissions {
    /// Write to the function's own log group.
    static let writeLogs = ["logs:CreateLogStream", "logs:PutLogEvents"]
    /// Send X-Ray traces (these actions take no resource but `*`).
    static let xrayWrite = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    /// Invoke a function (a caller's grant, an on-failure destination).
    static let invoke = ["lambda:InvokeFunction"]
}
