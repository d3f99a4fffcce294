import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct VpcTests {
    @Test func isolatedSubnetsWithoutGateways() throws {
        let app = try Fixtures.synthesize { app in
            Vpc(in: Stack(in: app, "Test"), "Network", cidr: "10.20.0.0/16", availabilityZones: 2)
        }
        let template = try #require(app.stack(named: "dev-Test")).template
        #expect(template.resources.map(\.logicalId) == [
            "Network",
            "NetworkIsolatedSubnet1", "NetworkIsolatedSubnet1RouteTable", "NetworkIsolatedSubnet1RouteTableAssociation",
            "NetworkIsolatedSubnet2", "NetworkIsolatedSubnet2RouteTable", "NetworkIsolatedSubnet2RouteTableAssociation",
        ])
        #expect(!template.resources.contains { $0.resource.type.contains("Gateway") || $0.resource.type == "AWS::EC2::Route" })
        #expect(Fixtures.yaml(app, "dev-Test").contains("""
              NetworkIsolatedSubnet2:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Network
                  CidrBlock: 10.20.1.0/24
                  AvailabilityZone: !Select [1, !GetAZs '']
                  MapPublicIpOnLaunch: false
            """))
    }

    @Test func publicSubnetsOnlyWhenAskedForGetAnInternetGateway() throws {
        let app = try Fixtures.synthesize { app in
            Vpc(in: Stack(in: app, "Test"), "Network", subnets: [
                SubnetGroup(name: "Public", type: .public, cidrMask: 26), SubnetGroup(name: "Data", type: .isolated),
            ])
        }
        let template = try #require(app.stack(named: "dev-Test")).template
        #expect(template.resource("NetworkInternetGateway") != nil)
        #expect(template.resource("NetworkPublicSubnet1DefaultRoute")?.dependsOn == ["NetworkGatewayAttachment"])
        #expect(template.resource("NetworkDataSubnet1DefaultRoute") == nil)
        // /26 subnets first, then the /24s after them, aligned.
        #expect(template.resource("NetworkPublicSubnet2")?.properties["CidrBlock"] == "10.0.0.64/26")
        #expect(template.resource("NetworkDataSubnet1")?.properties["CidrBlock"] == "10.0.1.0/24")
    }

    @Test func overlappingSubnetsAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Vpc(in: Stack(in: app, "Test"), "Network", cidr: "10.0.0.0/16", subnets: [
                SubnetGroup(name: "A", type: .isolated, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"]),
                SubnetGroup(name: "B", type: .isolated, cidrBlocks: ["10.0.1.128/25", "10.0.2.0/24"]),
            ])
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Network/BSubnet1: subnet block 10.0.1.128/25 overlaps dev/Test/Network/ASubnet2 (10.0.1.0/24)"])
        #expect(diagnostics.first?.hint == "give every subnet its own block")
    }

    @Test func moreZonesThanTheRegionHasIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Vpc(in: Stack(in: app, "Test"), "Network", availabilityZones: 4)
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Network: 4 availability zones asked for, but eu-west-1 has 3"])
    }

    @Test(arguments: [
        ("10.0.0.1/16", "dev/Test/Network: VPC block '10.0.0.1/16' is not a valid IPv4 CIDR network"),
        ("10.0.0.0/33", "dev/Test/Network: VPC block '10.0.0.0/33' is not a valid IPv4 CIDR network"),
        ("300.0.0.0/16", "dev/Test/Network: VPC block '300.0.0.0/16' is not a valid IPv4 CIDR network"),
        ("10.0.0.0/8", "dev/Test/Network: VPC block '10.0.0.0/8' must be between /16 and /28"),
    ])
    func invalidVpcBlocks(_ cidr: String, _ message: String) {
        let diagnostics = Fixtures.diagnostics { app in Vpc(in: Stack(in: app, "Test"), "Network", cidr: cidr) }
        #expect(diagnostics.map(\.message).contains(message), "\(diagnostics)")
    }

    @Test func subnetOutsideTheVpcIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Vpc(in: Stack(in: app, "Test"), "Network", cidr: "10.0.0.0/16", availabilityZones: 1, subnets: [
                SubnetGroup(name: "A", type: .isolated, cidrBlocks: ["10.1.0.0/24"]),
            ])
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Network/ASubnet1: subnet block 10.1.0.0/24 is outside the VPC block 10.0.0.0/16"])
    }

    @Test func cidrArithmetic() throws {
        let vpc = try #require(CIDR("10.0.0.0/16"))
        #expect(vpc.contains(try #require(CIDR("10.0.255.0/24"))))
        #expect(!vpc.contains(try #require(CIDR("10.1.0.0/24"))))
        #expect(try #require(CIDR("10.0.1.0/24")).overlaps(try #require(CIDR("10.0.0.0/23"))))
        #expect(!(try #require(CIDR("10.0.1.0/24")).overlaps(try #require(CIDR("10.0.2.0/24")))))
        #expect(CIDR("10.0.0.0/16")?.description == "10.0.0.0/16")
    }
}

@Suite struct SecurityGroupTests {
    @Test func groupsStartClosedAndConnectionsOpenOnePort() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let vpc = Vpc(in: stack, "Network")
            let database = DatabaseInstance(in: stack, "Db", vpc: vpc)
            let function = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"), vpc: vpc)
            database.allowConnections(from: function)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              DbSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: PostgreSQL database Db
                  VpcId: !Ref Network
                  SecurityGroupEgress:
                  - CidrIp: 255.255.255.255/32
                    IpProtocol: icmp
                    FromPort: 252
                    ToPort: 86
                    Description: No outbound traffic unless a rule below allows it
            """))
        #expect(yaml.contains("""
              DbSecurityGroupFromFn5432:
                Type: AWS::EC2::SecurityGroupIngress
                Properties:
                  GroupId: !GetAtt DbSecurityGroup.GroupId
                  IpProtocol: tcp
                  FromPort: 5432
                  ToPort: 5432
                  SourceSecurityGroupId: !GetAtt FnSecurityGroup.GroupId
                  Description: From Test/Fn
            """))
        #expect(yaml.contains("""
              FnSecurityGroupToDb5432:
                Type: AWS::EC2::SecurityGroupEgress
                Properties:
                  GroupId: !GetAtt FnSecurityGroup.GroupId
                  IpProtocol: tcp
                  FromPort: 5432
                  ToPort: 5432
                  DestinationSecurityGroupId: !GetAtt DbSecurityGroup.GroupId
                  Description: To Test/Db
            """))
        #expect(!yaml.contains("0.0.0.0/0"))
        #expect(yaml.contains("- !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"))
        #expect(yaml.contains("""
                  VpcConfig:
                    SecurityGroupIds:
                    - !GetAtt FnSecurityGroup.GroupId
                    SubnetIds:
                    - !Ref NetworkIsolatedSubnet1
                    - !Ref NetworkIsolatedSubnet2
            """))
    }

    @Test func worldOpenIngressMustBeSaidExplicitly() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let group = SecurityGroup(in: stack, "Web", vpc: Vpc(in: stack, "Network"), description: "web")
            group.addIngress(from: .ipv4("0.0.0.0/0"), port: .tcp(443), description: "https")
            group.addIngress(from: .anyIPv4, port: .tcp(80), description: "http, on purpose")
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Web: ingress tcp/443 from 0.0.0.0/0 opens the group to the whole internet"])
    }

    @Test func connectingAFunctionOutsideTheVpcIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let database = DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network"))
            database.allowConnections(from: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")))
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Db: cannot connect dev/Test/Fn to dev/Test/Db: dev/Test/Fn is not in a VPC"])
    }
}
