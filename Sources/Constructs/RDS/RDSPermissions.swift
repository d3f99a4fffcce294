/// IAM actions behind `DatabaseInstance.grantConnect(to:user:)`.
enum RDSPermissions {
    static let connect = ["rds-db:connect"]
}
