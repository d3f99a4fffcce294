import Foundation
import TestSupport
import Testing

/// `synth deploy` against a scripted `aws` on PATH, for what moto cannot do: StackSet instances
/// that roll out over time or fail, and stacks in ROLLBACK_COMPLETE.
@Suite struct DeployScriptedTests {
    private let synth = Repository.synthExecutable

    /// A fake `aws` that logs its arguments to `calls` and answers from `script` (a bash `case`
    /// on "$*"; anything unmatched succeeds silently).
    private func fakeAWS(_ script: String) throws -> (folder: TemporaryDirectory, environment: [String: String]) {
        let folder = try TemporaryDirectory()
        try folder.write("bin/aws", """
            #!/bin/bash
            state="\(folder.url.path)"
            echo "$*" >> "$state/calls"
            case "$*" in
            \(script)
            *) exit 0 ;;
            esac

            """)
        chmod(folder.url.appendingPathComponent("bin/aws").path, 0o755)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = folder.url.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return (folder, environment)
    }

    private let noStack = """
        *"describe-stacks"*) echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id x does not exist" >&2; exit 254 ;;
        """

    @Test func waitsForStackSetInstancesToBeCurrent() throws {
        // OUTDATED on the first two looks, CURRENT on the third.
        let fake = try fakeAWS("""
            \(noStack)
            *"list-stack-instances"*)
              n=$(($(cat "$state/looks" 2>/dev/null || echo 0) + 1)); echo $n > "$state/looks"
              if [ $n -lt 3 ]; then s=OUTDATED; d=RUNNING; else s=CURRENT; d=SUCCEEDED; fi
              echo "{\\"Summaries\\": [{\\"Account\\": \\"200000000002\\", \\"Region\\": \\"eu-west-1\\", \\"Status\\": \\"$s\\", \\"StackInstanceStatus\\": {\\"DetailedStatus\\": \\"$d\\"}},
                {\\"Account\\": \\"200000000002\\", \\"Region\\": \\"us-east-1\\", \\"Status\\": \\"$s\\", \\"StackInstanceStatus\\": {\\"DetailedStatus\\": \\"$d\\"}}]}" ;;
            *"list-stack-set-operations"*) echo '{"Summaries": [{"OperationId": "op-1", "Status": "RUNNING"}]}' ;;
            """)
        let repo = try Repository.copy()
        let result = try Command.run(synth, ["deploy", "dev", "--only", "shared-OrganisationBootstrap", "--poll-interval", "0.05"], in: repo.url, environment: fake.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(fake.folder.read("looks") == "3\n")
        #expect(result.stdout.contains("[shared-OrganisationBootstrap] waiting for StackSet shared-BootstrapTemplate: 200000000002 eu-west-1, 200000000002 us-east-1 not CURRENT yet (operation RUNNING)\n"))
        #expect(result.stdout.contains("[shared-OrganisationBootstrap] StackSet shared-BootstrapTemplate: 2 instances CURRENT\n"))
        // The StackSet is read in the management account, in its region.
        #expect(fake.folder.read("calls")?.contains("cloudformation list-stack-instances --stack-set-name shared-BootstrapTemplate --output json --region eu-west-1 --profile management") == true)
    }

    @Test func aFailedStackSetInstanceStopsThePlanNamingAccountAndRegion() throws {
        let fake = try fakeAWS("""
            \(noStack)
            *"list-stack-instances"*) echo '{"Summaries": [{"Account": "200000000002", "Region": "eu-west-1", "Status": "CURRENT", "StackInstanceStatus": {"DetailedStatus": "SUCCEEDED"}}, {"Account": "200000000002", "Region": "us-east-1", "Status": "OUTDATED", "StatusReason": "Bucket name already exists", "StackInstanceStatus": {"DetailedStatus": "FAILED"}}]}' ;;
            """)
        let repo = try Repository.copy()
        let result = try Command.run(
            synth, ["deploy", "dev", "--only", "shared-OrganisationBootstrap,dev-Dns", "--poll-interval", "0.05"], in: repo.url, environment: fake.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: step shared-OrganisationBootstrap failed: StackSet shared-BootstrapTemplate failed in account 200000000002 region us-east-1 (OUTDATED FAILED): Bucket name already exists\n"), "\(result.stderr)")
        #expect(result.stderr.contains("  failed: shared-OrganisationBootstrap\n  not run: dev-Dns\n"))
    }

    private func rolledBack(zoneStatus: String) -> String {
        """
        *"describe-stacks"*) if [ -f "$state/deleted" ]; then echo "Stack with id dev-Dns does not exist" >&2; exit 254; fi
          echo '{"Stacks": [{"StackName": "dev-Dns", "StackStatus": "ROLLBACK_COMPLETE"}]}' ;;
        *"describe-stack-events"*) echo '{"StackEvents": [{"LogicalResourceId": "dev-Dns", "ResourceType": "AWS::CloudFormation::Stack", "ResourceStatus": "ROLLBACK_COMPLETE"}, {"LogicalResourceId": "Zone", "ResourceType": "AWS::Route53::HostedZone", "ResourceStatus": "CREATE_FAILED", "ResourceStatusReason": "Invalid domain name"}, {"LogicalResourceId": "dev-Dns", "ResourceType": "AWS::CloudFormation::Stack", "ResourceStatus": "CREATE_IN_PROGRESS", "ResourceStatusReason": "User Initiated"}]}' ;;
        *"list-stack-resources"*) echo '{"StackResourceSummaries": [{"LogicalResourceId": "Zone", "PhysicalResourceId": "Z123", "ResourceType": "AWS::Route53::HostedZone", "ResourceStatus": "\(zoneStatus)"}]}' ;;
        *"delete-stack"*) touch "$state/deleted" ;;
        """
    }

    @Test func rollbackCompleteIsExplainedAndReplacedWhenAsked() throws {
        let repo = try Repository.copy()
        let refused = try fakeAWS(rolledBack(zoneStatus: "DELETE_COMPLETE"))
        let plain = try Command.run(synth, ["deploy", "dev", "--only", "dev-Dns"], in: repo.url, environment: refused.environment)
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("error: step dev-Dns failed: stack dev-Dns is in ROLLBACK_COMPLETE: its creation failed (Zone: Invalid domain name), and CloudFormation cannot update a stack that was never created\n  stack status: ROLLBACK_COMPLETE\n  hint: fix the cause, then run again with --replace-failed to delete the stack and create it anew\n"), "\(plain.stderr)")
        #expect(refused.folder.read("calls")?.contains("delete-stack") == false)

        let replaced = try fakeAWS(rolledBack(zoneStatus: "DELETE_COMPLETE"))
        let result = try Command.run(synth, ["deploy", "dev", "--only", "dev-Dns", "--replace-failed"], in: repo.url, environment: replaced.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("[dev-Dns] stack is in ROLLBACK_COMPLETE; deleting it to create it again (--replace-failed)\n"))
        let calls = (replaced.folder.read("calls") ?? "").split(separator: "\n")
        let delete = calls.firstIndex { $0.hasPrefix("cloudformation delete-stack --stack-name dev-Dns") }
        let deploy = calls.firstIndex { $0.hasPrefix("cloudformation deploy ") }
        #expect(delete != nil && deploy != nil && delete! < deploy!, "\(calls)")
    }

    @Test func replaceFailedRefusesAStackHoldingRetainedResources() throws {
        let repo = try Repository.copy()
        let fake = try fakeAWS(rolledBack(zoneStatus: "DELETE_SKIPPED"))
        let result = try Command.run(synth, ["deploy", "dev", "--only", "dev-Dns", "--replace-failed"], in: repo.url, environment: fake.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("stack dev-Dns is in ROLLBACK_COMPLETE but holds retained stateful resources (Zone AWS::Route53::HostedZone), so --replace-failed will not delete it"), "\(result.stderr)")
        #expect(fake.folder.read("calls")?.contains("delete-stack") == false)
    }

    @Test func updateRollbackFailedGetsTheContinueHint() throws {
        let fake = try fakeAWS("""
            *"describe-stacks"*) echo '{"Stacks": [{"StackName": "dev-Dns", "StackStatus": "UPDATE_ROLLBACK_FAILED"}]}' ;;
            """)
        let repo = try Repository.copy()
        let result = try Command.run(synth, ["deploy", "dev", "--only", "dev-Dns"], in: repo.url, environment: fake.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("hint: fix the resource that blocks the rollback, then run aws cloudformation continue-update-rollback --stack-name dev-Dns"), "\(result.stderr)")
    }

    @Test func hotswapIsRefusedWhereTheEnvironmentForbidsIt() throws {
        let repo = try Repository.copy()
        let before = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
        let result = try Command.run(synth, ["deploy", "prd", "--hotswap", "--dry-run"], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stderr == """
            Environments/prd.yaml: error: prd forbids hotswap (hotswap: false), so every change goes through CloudFormation
              hint: deploy without --hotswap

            """)
        #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == before)
    }

    @Test func bootstrapRolesAssumeTheDeployRoleOfEachStepsRegion() throws {
        let fake = try fakeAWS("""
            *"sts assume-role"*) echo '{"Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST"}}' ;;
            *"describe-stacks --stack-name dev-Dns "*) echo '{"Stacks": [{"StackName": "dev-Dns", "StackStatus": "CREATE_COMPLETE", "Outputs": [{"OutputKey": "ZoneId", "OutputValue": "Z1"}]}]}' ;;
            \(noStack)
            """)
        let repo = try Repository.copy()
        let result = try Command.run(
            synth, ["deploy", "dev", "--only", "dev-DigidexFrontendCertificate", "--bootstrap-roles"], in: repo.url, environment: fake.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let calls = (fake.folder.read("calls") ?? "").split(separator: "\n")
        // The us-east-1 step runs as the us-east-1 deploy role and passes the us-east-1 execution role;
        // the eu-west-1 output is read with the eu-west-1 role.
        #expect(calls.contains { $0.hasPrefix("sts assume-role --role-arn arn:aws:iam::200000000002:role/stratus-deploy-us-east-1 ") && $0.contains("--region us-east-1 --profile dev") })
        #expect(calls.contains { $0.hasPrefix("sts assume-role --role-arn arn:aws:iam::200000000002:role/stratus-deploy-eu-west-1 ") })
        let deploy = try #require(calls.first { $0.hasPrefix("cloudformation deploy ") })
        #expect(deploy.contains("--role-arn arn:aws:iam::200000000002:role/stratus-cfn-exec-us-east-1"))
        #expect(deploy.contains("DnsZoneId=Z1"))
        #expect(deploy.hasSuffix("--region us-east-1"), "\(deploy)")
    }
}
