import CloudFormation
import Testing

@Suite struct TemplateRenderingTests {
    @Test func sectionsAndResourceKeysFollowCloudFormationOrder() {
        var template = Template(description: "A test stack")
        template.parameters = [("ZoneId", Parameter(type: .string, description: "The zone")), ("Servers", Parameter(type: .commaDelimitedList))]
        template.conditions = [("IsProd", .equals(.ref("Env"), "prd"))]
        template.resources = [
            ("Zone", Resource(
                type: "AWS::Route53::HostedZone", properties: Object([("Name", "example.com")]), dependsOn: ["Other"],
                condition: "IsProd", deletionPolicy: .retain, updateReplacePolicy: .retain)),
            ("Other", Resource(type: "AWS::SNS::Topic", dependsOn: ["A", "B"])),
        ]
        template.outputs = [("ZoneId", Output(value: .ref("Zone"), description: "Id"))]
        #expect(TemplateRenderer.yaml(template) == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: A test stack
            Parameters:
              ZoneId:
                Type: String
                Description: The zone
              Servers:
                Type: CommaDelimitedList
            Conditions:
              IsProd: !Equals [!Ref Env, prd]
            Resources:
              Zone:
                Type: AWS::Route53::HostedZone
                Condition: IsProd
                DependsOn: Other
                Properties:
                  Name: example.com
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              Other:
                Type: AWS::SNS::Topic
                DependsOn:
                - A
                - B
            Outputs:
              ZoneId:
                Description: Id
                Value: !Ref Zone

            """)
    }

    @Test func emptySectionsAreLeftOut() {
        let template = Template()
        #expect(TemplateRenderer.yaml(template) == "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    }

    @Test func renderingIsByteIdenticalAcrossRuns() {
        var template = Template(description: "x")
        template.resources = (0..<50).map { ("R\($0)", Resource(type: "AWS::SNS::Topic", properties: Object([("TopicName", .string("t\($0)"))]))) }
        #expect(TemplateRenderer.yaml(template) == TemplateRenderer.yaml(template))
    }

    @Test func diagnosticsPrintLikeCompilerErrors() {
        let diagnostic = Diagnostic(
            "account id '12345' must be 12 digits", at: SourceLocation(file: "Environments/dev.yaml", line: 4, column: 12),
            hint: "copy it from the account menu")
        #expect(diagnostic.description == "Environments/dev.yaml:4:12: error: account id '12345' must be 12 digits\n  hint: copy it from the account menu")
        let sorted = DiagnosticError([
            Diagnostic("b", at: SourceLocation(file: "b.yaml", line: 1)),
            Diagnostic("a2", at: SourceLocation(file: "a.yaml", line: 9)),
            Diagnostic("a1", at: SourceLocation(file: "a.yaml", line: 2)),
            Diagnostic("a1", at: SourceLocation(file: "a.yaml", line: 2)),
        ])
        #expect(sorted.diagnostics.map(\.message) == ["a1", "a2", "b"])
    }
}
