import CloudFormation
import Synthesis

public enum SubnetType: String, Sendable {
    /// No route to or from the internet: no internet gateway, no NAT gateway.
    case isolated = "Isolated"
    /// A route to an internet gateway. Made only when asked for.
    case `public` = "Public"
}

/// A group of subnets of one type, one subnet in each availability zone.
public struct SubnetGroup: Sendable {
    public let name: String
    public let type: SubnetType
    public let cidrMask: Int?
    public let cidrBlocks: [String]?

    /// Subnets of `/cidrMask`, carved out of the VPC's block in order.
    public init(name: String, type: SubnetType, cidrMask: Int = 24) {
        self.name = name
        self.type = type
        self.cidrMask = cidrMask
        self.cidrBlocks = nil
    }

    /// Subnets with the given blocks, one per availability zone.
    public init(name: String, type: SubnetType, cidrBlocks: [String]) {
        self.name = name
        self.type = type
        self.cidrMask = nil
        self.cidrBlocks = cidrBlocks
    }
}

/// A VPC with subnets spread over availability zones.
///
/// Emits `AWS::EC2::VPC` (DNS support and host names on), and per subnet `AWS::EC2::Subnet`,
/// `AWS::EC2::RouteTable` and `AWS::EC2::SubnetRouteTableAssociation`. By default there are only
/// isolated subnets (one `/24` per zone): no internet gateway and no NAT gateway exist unless a
/// public subnet group is asked for, which adds `AWS::EC2::InternetGateway`, its attachment and a
/// default route. Not stateful.
///
///     let vpc = Vpc(in: backend, "Network", cidr: "10.20.0.0/16", availabilityZones: 2)
///     vpc.subnets(.isolated)   // two subnets, in two zones
public final class Vpc: Construct {
    public let cidr: String
    public let availabilityZones: Int
    public let groups: [SubnetGroup]
    public private(set) var resource: CfnResource!
    public private(set) var subnetsByGroup: [(group: SubnetGroup, subnets: [Subnet])] = []
    private var allocationProblems: [String] = []

    /// - Parameters:
    ///   - cidr: The VPC's block, `/16` to `/28`: 10.0.0.0/16 by default.
    ///   - availabilityZones: How many zones the subnets span: 2 by default.
    ///   - subnets: One isolated group of `/24` subnets by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, cidr: String = "10.0.0.0/16", availabilityZones: Int = 2,
        subnets: [SubnetGroup] = [SubnetGroup(name: "Isolated", type: .isolated)], file: String = #fileID, line: Int = #line
    ) {
        self.cidr = cidr
        self.availabilityZones = availabilityZones
        self.groups = subnets
        super.init(in: scope, id, file: file, line: line)
        resource = CfnResource(
            in: self, type: "AWS::EC2::VPC",
            properties: ["CidrBlock": .string(cidr), "EnableDnsHostnames": true, "EnableDnsSupport": true], file: file, line: line)

        var gateway: CfnResource?
        var attachment: CfnResource?
        if subnets.contains(where: { $0.type == .public }) {
            gateway = CfnResource(in: self, "InternetGateway", type: "AWS::EC2::InternetGateway", file: file, line: line)
            attachment = CfnResource(
                in: self, "GatewayAttachment", type: "AWS::EC2::VPCGatewayAttachment",
                properties: ["VpcId": vpcId, "InternetGatewayId": gateway!.ref("Id")], file: file, line: line)
        }
        let blocks = allocate()
        for (groupIndex, group) in subnets.enumerated() {
            var made: [Subnet] = []
            for zone in 0..<max(availabilityZones, 0) {
                let block = groupIndex < blocks.count && zone < blocks[groupIndex].count ? blocks[groupIndex][zone] : "0.0.0.0/32"
                let subnet = Subnet(in: self, "\(LogicalIds.pascalCase(group.name))Subnet\(zone + 1)", cidr: block, type: group.type, zone: zone, file: file, line: line)
                if group.type == .public, let gateway, let attachment {
                    let route = CfnResource(
                        in: subnet, "DefaultRoute", type: "AWS::EC2::Route",
                        properties: ["RouteTableId": subnet.routeTableId, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gateway.ref("Id")],
                        file: file, line: line)
                    route.dependsOn = [attachment]
                }
                made.append(subnet)
            }
            subnetsByGroup.append((group, made))
        }
    }

    public var vpcId: Value { resource.ref("Id") }
    public var cidrBlock: Value { resource.attribute("CidrBlock") }

    /// The subnets of a type, in zone order.
    public func subnets(_ type: SubnetType) -> [Subnet] {
        subnetsByGroup.filter { $0.group.type == type }.flatMap(\.subnets)
    }

    /// Blocks per group and zone: given ones as they are, the others carved in order from the
    /// VPC's block after the given ones.
    private func allocate() -> [[String]] {
        guard let vpc = CIDR(cidr) else { return [] }
        var taken = groups.compactMap(\.cidrBlocks).flatMap { $0 }.compactMap(CIDR.init)
        var next = UInt64(vpc.address)
        return groups.map { group in
            if let blocks = group.cidrBlocks { return blocks }
            let mask = group.cidrMask ?? 24
            guard (vpc.prefix...32).contains(mask) else {
                allocationProblems.append("subnet group '\(group.name)' asks for /\(mask) subnets, outside the VPC's /\(vpc.prefix)")
                return []
            }
            let size = UInt64(1) << UInt64(32 - mask)
            return (0..<max(availabilityZones, 0)).map { _ in
                while true {
                    next = (next + size - 1) / size * size
                    let candidate = CIDR(address: UInt32(truncatingIfNeeded: next), prefix: mask)
                    if next + size - 1 > vpc.last {
                        allocationProblems.append("VPC \(cidr) has no room for another /\(mask) subnet of group '\(group.name)'")
                        return "0.0.0.0/32"
                    }
                    next += size
                    if !taken.contains(where: { $0.overlaps(candidate) }) {
                        taken.append(candidate)
                        return candidate.description
                    }
                }
            }
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        guard let vpc = CIDR(cidr), vpc.isNetworkAddress else {
            return [.construct(self, "VPC block '\(cidr)' is not a valid IPv4 CIDR network", hint: "write it like 10.0.0.0/16, with the host bits zero")]
        }
        if !(16...28).contains(vpc.prefix) {
            problems.append(.construct(self, "VPC block '\(cidr)' must be between /16 and /28", hint: "e.g. 10.0.0.0/16"))
        }
        if availabilityZones < 1 {
            problems.append(.construct(self, "a VPC needs at least one availability zone", hint: "2 is the default"))
        }
        if let region = stack?.region, let available = Regions.availabilityZones[region], availabilityZones > available {
            problems.append(.construct(
                self, "\(availabilityZones) availability zones asked for, but \(region) has \(available)",
                hint: "use at most \(available)"))
        }
        for problem in allocationProblems {
            problems.append(.construct(self, problem, hint: "use a larger VPC block or smaller subnets"))
        }
        let subnets = subnetsByGroup.flatMap(\.subnets)
        for group in groups {
            if let blocks = group.cidrBlocks, blocks.count != availabilityZones {
                problems.append(.construct(self, "subnet group '\(group.name)' gives \(blocks.count) blocks for \(availabilityZones) availability zones", hint: "give one block per zone"))
            }
        }
        for (index, subnet) in subnets.enumerated() {
            guard let block = CIDR(subnet.cidr), block.isNetworkAddress else {
                problems.append(.construct(subnet, "subnet block '\(subnet.cidr)' is not a valid IPv4 CIDR network", hint: "write it like 10.0.1.0/24"))
                continue
            }
            if !vpc.contains(block) {
                problems.append(.construct(subnet, "subnet block \(subnet.cidr) is outside the VPC block \(cidr)", hint: "carve subnets out of the VPC's block"))
            }
            if !(16...28).contains(block.prefix) {
                problems.append(.construct(subnet, "subnet block \(subnet.cidr) must be between /16 and /28", hint: "e.g. /24"))
            }
            for other in subnets[..<index] {
                if let otherBlock = CIDR(other.cidr), otherBlock.overlaps(block) {
                    problems.append(.construct(subnet, "subnet block \(subnet.cidr) overlaps \(other.path) (\(other.cidr))", hint: "give every subnet its own block"))
                }
            }
        }
        return problems
    }
}

/// One subnet of a VPC with its own route table.
public final class Subnet: Construct {
    public let cidr: String
    public let type: SubnetType
    public let zone: Int
    public private(set) var resource: CfnResource!
    public private(set) var routeTable: CfnResource!

    init(in vpc: Vpc, _ id: String, cidr: String, type: SubnetType, zone: Int, file: String, line: Int) {
        self.cidr = cidr
        self.type = type
        self.zone = zone
        super.init(in: vpc, id, file: file, line: line)
        resource = CfnResource(
            in: self, type: "AWS::EC2::Subnet",
            properties: [
                "VpcId": vpc.vpcId, "CidrBlock": .string(cidr), "AvailabilityZone": .select(zone, .getAZs("")),
                "MapPublicIpOnLaunch": false,
            ], file: file, line: line)
        routeTable = CfnResource(in: self, "RouteTable", type: "AWS::EC2::RouteTable", properties: ["VpcId": vpc.vpcId], file: file, line: line)
        CfnResource(
            in: self, "RouteTableAssociation", type: "AWS::EC2::SubnetRouteTableAssociation",
            properties: ["SubnetId": subnetId, "RouteTableId": routeTableId], file: file, line: line)
    }

    public var subnetId: Value { resource.ref("Id") }
    public var routeTableId: Value { routeTable.ref("Id") }
}
