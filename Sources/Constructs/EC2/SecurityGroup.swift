import CloudFormation
import Synthesis

/// A TCP port or range.
public struct Port: Equatable, Sendable, CustomStringConvertible {
    public let from: Int
    public let to: Int

    public static func tcp(_ port: Int) -> Port { Port(from: port, to: port) }
    public static func tcpRange(_ from: Int, _ to: Int) -> Port { Port(from: from, to: to) }

    public var description: String { from == to ? "tcp/\(from)" : "tcp/\(from)-\(to)" }
}

/// Where traffic comes from or goes to.
public enum Peer {
    case securityGroup(SecurityGroup)
    /// An IPv4 block. `0.0.0.0/0` is allowed only written out as `.anyIPv4`.
    case ipv4(String)
    /// Every IPv4 address: the whole internet, said explicitly.
    case anyIPv4
}

/// Something that may have a security group that other things connect to or from.
public protocol Connectable: Construct {
    /// Nil when the construct is not in a VPC.
    var securityGroup: SecurityGroup? { get }
}

/// A VPC security group. No ingress, and no egress unless `allowAllOutbound` (AWS's default of
/// allowing all outbound traffic is replaced by a rule that matches nothing). Rules between groups
/// are separate `AWS::EC2::SecurityGroupIngress` / `Egress` resources, so groups never depend on
/// each other in a cycle.
///
/// Emits `AWS::EC2::SecurityGroup`. Not stateful.
///
///     database.allowConnections(from: function)   // opens tcp/5432 from the function's group only
public final class SecurityGroup: Construct {
    public let vpc: Vpc
    public let groupDescription: String
    public private(set) var resource: CfnResource!
    private var ruleCount = 0
    private var openToTheWorld: [String] = []

    /// - Parameter allowAllOutbound: False by default: outbound traffic is opened rule by rule.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, vpc: Vpc, description: String, allowAllOutbound: Bool = false,
        file: String = #fileID, line: Int = #line
    ) {
        self.vpc = vpc
        self.groupDescription = description
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = ["GroupDescription": .string(description), "VpcId": vpc.vpcId]
        if allowAllOutbound {
            properties["SecurityGroupEgress"] = [["CidrIp": "0.0.0.0/0", "IpProtocol": "-1", "Description": "All outbound traffic"]]
        } else {
            properties["SecurityGroupEgress"] = [[
                "CidrIp": "255.255.255.255/32", "IpProtocol": "icmp", "FromPort": 252, "ToPort": 86,
                "Description": "No outbound traffic unless a rule below allows it",
            ]]
        }
        resource = CfnResource(in: self, type: "AWS::EC2::SecurityGroup", properties: properties, file: file, line: line)
    }

    public var groupId: Value { resource.attribute("GroupId") }

    /// Allows inbound TCP on `port` from `peer`.
    @discardableResult
    public func addIngress(from peer: Peer, port: Port, description: String, file: String = #fileID, line: Int = #line) -> CfnResource {
        rule("AWS::EC2::SecurityGroupIngress", peer: peer, port: port, description: description, inbound: true, file: file, line: line)
    }

    /// Allows outbound TCP on `port` to `peer`.
    @discardableResult
    public func addEgress(to peer: Peer, port: Port, description: String, file: String = #fileID, line: Int = #line) -> CfnResource {
        rule("AWS::EC2::SecurityGroupEgress", peer: peer, port: port, description: description, inbound: false, file: file, line: line)
    }

    private func rule(_ type: String, peer: Peer, port: Port, description: String, inbound: Bool, file: String, line: Int) -> CfnResource {
        ruleCount += 1
        var properties: Object = ["GroupId": groupId, "IpProtocol": "tcp", "FromPort": .int(port.from), "ToPort": .int(port.to)]
        let name: String
        switch peer {
        case .securityGroup(let other):
            properties[inbound ? "SourceSecurityGroupId" : "DestinationSecurityGroupId"] = other.groupId
            name = LogicalIds.pascalCase(other.parent?.id ?? other.id)
        case .ipv4(let block):
            properties["CidrIp"] = .string(block)
            name = "Cidr\(ruleCount)"
            if block == "0.0.0.0/0" { openToTheWorld.append("\(inbound ? "ingress" : "egress") \(port) from \(block)") }
        case .anyIPv4:
            properties["CidrIp"] = "0.0.0.0/0"
            name = "Anywhere"
        }
        properties["Description"] = .string(description)
        return CfnResource(in: self, "\(inbound ? "From" : "To")\(name)\(port.from)", type: type, properties: properties, file: file, line: line)
    }

    public override func validate() -> [Diagnostic] {
        openToTheWorld.map { rule in
            .construct(self, "\(rule) opens the group to the whole internet", hint: "write .anyIPv4 if that is really meant")
        }
    }
}

extension Connectable {
    /// Opens `port` on this construct's group to `other`'s group, and `other`'s egress to it.
    func allowConnections(from other: any Connectable, port: Port, file: String, line: Int) {
        guard let target = securityGroup, let source = other.securityGroup else {
            let outside = securityGroup == nil ? path : other.path
            report(.construct(self, "cannot connect \(other.path) to \(path): \(outside) is not in a VPC", hint: "create both in the same VPC (Function(..., vpc:))"))
            return
        }
        if target.vpc !== source.vpc {
            report(.construct(self, "cannot connect \(other.path) to \(path): they are in different VPCs", hint: "put both in one VPC"))
        }
        target.addIngress(from: .securityGroup(source), port: port, description: "From \(other.relativePath)", file: file, line: line)
        source.addEgress(to: .securityGroup(target), port: port, description: "To \(relativePath)", file: file, line: line)
    }
}
