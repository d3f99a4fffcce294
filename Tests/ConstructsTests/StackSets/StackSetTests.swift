import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct StackSetTests {
    /// The bootstrap template and its StackSet in the management account, as Stacks/ makes them.
    private func bootstrap(_ app: App, trust: [String: [String]], line: Int = #line) {
        let template = Stack(in: app, "BootstrapTemplate", account: app.organisation.management, shared: true, templateOnly: true)
        let bootstrap = Bootstrap(in: template, "Bootstrap")
        let stack = Stack(in: app, "OrganisationBootstrap", account: app.organisation.management, shared: true)
        bootstrap.rollOut(in: stack, "StackSet", environments: app.environments, trust: trust, line: line)
    }

    @Test func embedsTheSynthesizedTemplateWithPerAccountOverrides() throws {
        let app = try Fixtures.synthesize { app in bootstrap(app, trust: ["dev": [app.organisation.cicd.id]]) }
        let template = try #require(app.stack(named: "shared-BootstrapTemplate"))
        #expect(template.isTemplateOnly)
        let embedded = TemplateRenderer.yaml(template.template)
        let set = try #require(app.stack(named: "shared-OrganisationBootstrap")?.template.resource("StackSet"))
        #expect(set.properties["TemplateBody"] == .string(embedded))
        #expect(Fixtures.yaml(app, "shared-OrganisationBootstrap").contains("""
                  StackInstancesGroup:
                  - DeploymentTargets:
                      OrganizationalUnitIds:
                      - ou-test-tst00001
                      - ou-test-dev00001
                      - ou-test-prd00001
                      Accounts:
                      - '800000000001'
                      AccountFilterType: DIFFERENCE
                    Regions:
                    - eu-west-1
                  - DeploymentTargets:
                      OrganizationalUnitIds:
                      - ou-test-dev00001
                      Accounts:
                      - '800000000001'
                      AccountFilterType: INTERSECTION
                    Regions:
                    - eu-west-1
                    ParameterOverrides:
                    - ParameterKey: TrustedAccounts
                      ParameterValue: '900000000003'
            """))
        #expect(embedded.contains("BucketName: !Sub stratus-assets-${AWS::AccountId}-${AWS::Region}"))
        #expect(embedded.contains("""
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        AWS: !If
                        - TrustsOtherAccounts
                        - !Split
                          - ','
                          - !Join
                            - ','
                            - - !Ref AWS::AccountId
                              - !Join [',', !Ref TrustedAccounts]
                        - !Ref AWS::AccountId
                      Action: sts:AssumeRole
            """))
        #expect(!embedded.contains("AdministratorAccess"))
        #expect(app.stackSets.map(\.overrides) == [["800000000001": ["TrustedAccounts": "900000000003"]]])
        #expect(app.trusts.map(\.trusted) == [["account cicd (900000000003)"]])
        // The template is reviewed and linted, but no plan step deploys it.
        #expect(app.stacks.contains { $0.stackName == "shared-BootstrapTemplate" })
    }

    @Test func assetBucketMatchesWhatThePlanUploadsTo() {
        #expect(AssetBucket.name(accountId: "123456789012", region: "eu-west-1") == "stratus-assets-123456789012-eu-west-1")
        #expect(AssetBucket.name == .sub("stratus-assets-${AWS::AccountId}-${AWS::Region}", Object()))
    }

    @Test func trustedAccountOutsideTheOrganisationIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in bootstrap(app, trust: ["dev": ["123456789012"]], line: 7000) }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/StackSetTests.swift:7000: error: dev/BootstrapTemplate/Bootstrap: trusted account '123456789012' for dev is not an account of the organisation
              hint: trust only accounts listed in Environments/organisation.yaml or an environment file, e.g. cicd (900000000003)
            """])
    }

    @Test func overrideForAnAccountTheStackSetDoesNotTargetIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let template = Stack(in: app, "Template", account: app.organisation.management, shared: true, templateOnly: true)
            _ = template.addParameter("TrustedAccounts", Parameter(type: .commaDelimitedList, defaultValue: ""))
            CfnResource(in: template, "Topic", type: "AWS::SNS::Topic")
            StackSet(
                in: Stack(in: app, "Sets", account: app.organisation.management, shared: true), "Set", template: template,
                organisationalUnits: ["ou-test-dev00001"], regions: ["eu-west-1"],
                overrides: ["800000000002": ["TrustedAccounts": "900000000003"], "12345": ["TrustedAccounts": "x"]])
        }
        #expect(diagnostics.map(\.message) == [
            "dev/Sets/Set: override account '12345' is not a 12-digit account id",
            "dev/Sets/Set: override for account 800000000002, which the StackSet does not target",
        ])
        #expect(diagnostics.last?.hint == "target the account's OU (ou-test-prd00001) or drop the override")
    }

    @Test func organisationalUnitOfTheWrongFormIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let template = Stack(in: app, "Template", account: app.organisation.management, shared: true, templateOnly: true)
            CfnResource(in: template, "Topic", type: "AWS::SNS::Topic")
            StackSet(in: Stack(in: app, "Sets", account: app.organisation.management, shared: true), "Set", template: template,
                     organisationalUnits: ["ou-DEV"], regions: ["eu-west-1"])
        }
        #expect(diagnostics.map(\.message) == ["dev/Sets/Set: organisational unit 'ou-DEV' is not an OU id"])
    }

    @Test func templateOnlyStacksTakeNoValuesThroughThePlan() {
        let diagnostics = Fixtures.diagnostics { app in
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            let template = Stack(in: app, "Template", shared: true, templateOnly: true)
            CfnResource(in: template, "Thing", type: "AWS::SNS::Topic", properties: ["DisplayName": zone.zoneId])
        }
        #expect(diagnostics.map(\.message).contains("dev/Template/Thing: uses Dns/Zone across a template-only stack boundary (dev-Dns -> shared-Template)"))
    }

    @Test(arguments: [("ou-ab12-cdefgh34", true), ("ou-ab1-cdefgh34", false), ("ou-ab12-cdefg", false), ("OU-ab12-cdefgh34", false), ("r-ab12", false)])
    func organisationalUnitShapes(_ id: String, _ valid: Bool) {
        #expect(OrganisationIds.isOrganisationalUnit(id) == valid)
    }
}
