import CloudFormation
import Synthesis

/// A custom domain for HTTP APIs, with its DNS records.
///
/// Emits `AWS::ApiGatewayV2::DomainName` (regional endpoint, TLS 1.2 minimum) with our certificate,
/// and alias `A` and `AAAA` records in `zone` pointing at the domain's regional endpoint. APIs are
/// mounted on it with `ApiMapping`, each under its own path key (`quiz`, `digidex`), so several
/// APIs, even from other stacks, share one domain. Not stateful.
///
///     let domain = ApiDomainName(in: platform, "ApiDomain", domainName: "api.dev.example.com",
///                                certificate: certificate, zone: zone)
public final class ApiDomainName: Construct {
    public let domainName: String
    public let certificate: Certificate
    public let zone: HostedZone?
    public private(set) var resource: CfnResource!
    /// Mapping keys taken on this domain, with the mapping that took each.
    var mappings: [String: ApiMapping] = [:]

    /// - Parameter zone: Where the alias records go; no records are made without one.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, domainName: String, certificate: Certificate, zone: HostedZone? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.domainName = domainName
        self.certificate = certificate
        self.zone = zone
        super.init(in: scope, id, file: file, line: line)
        resource = CfnResource(
            in: self, type: "AWS::ApiGatewayV2::DomainName",
            properties: [
                "DomainName": .string(domainName),
                "DomainNameConfigurations": [[
                    "CertificateArn": certificate.arn, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2",
                ]],
            ], file: file, line: line)
        if let zone {
            for type in [RecordType.a, .aaaa] {
                RecordSet(
                    in: self, "Alias\(type.rawValue)", zone: zone, name: domainName, type: type,
                    target: .alias(dnsName: regionalDomainName, hostedZoneId: regionalHostedZoneId), file: file, line: line)
            }
        }
    }

    /// The domain name (`!Ref`), as API mappings need it.
    public var name: Value { resource.ref("Name") }
    public var regionalDomainName: Value { resource.attribute("RegionalDomainName") }
    public var regionalHostedZoneId: Value { resource.attribute("RegionalHostedZoneId") }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let problem = DomainName.problem(with: domainName) {
            problems.append(.construct(self, "domain name '\(domainName)' \(problem)", hint: "e.g. api.dev.example.com"))
        } else if !certificate.covers(domainName) {
            problems.append(.construct(
                self, "certificate \(certificate.path) (\(certificate.names.joined(separator: ", "))) does not cover '\(domainName)'",
                hint: "add '\(domainName)' to the certificate's names, or use a wildcard one level up"))
        }
        if let zone, !DomainName.isWithin(domainName, zone: zone.name) {
            problems.append(.construct(self, "domain name '\(domainName)' is not in zone '\(zone.name)'", hint: "use the zone that owns the name"))
        }
        if let stack, let certificateStack = certificate.stack {
            if stack.region != certificateStack.region {
                problems.append(.construct(
                    self, "certificate \(certificate.path) is in \(certificateStack.region) but a regional API domain in \(stack.region) needs one in its own region",
                    hint: "create the certificate in a stack in \(stack.region)"))
            }
            if stack.account.id != certificateStack.account.id {
                problems.append(.construct(self, "certificate \(certificate.path) is in account \(certificateStack.account), not \(stack.account)", hint: "use a certificate of the domain's account"))
            }
        }
        return problems
    }
}

/// Mounts an API stage on a custom domain under a path key: `api.dev.example.com/quiz`.
///
/// Emits `AWS::ApiGatewayV2::ApiMapping`. Put it in the API's stack; the domain may come from
/// another stack of the same account and region (its name reaches this stack through the plan).
/// A key can be taken once per domain. Not stateful.
///
///     ApiMapping(in: quiz, "Mapping", domain: domain, api: api, stage: live, key: "quiz")
public final class ApiMapping: Construct {
    public let domain: ApiDomainName
    public let api: HttpApi
    public let stage: ApiStage
    public let key: String
    public private(set) var resource: CfnResource!

    /// - Parameter key: The first path segment(s) the API answers under; `""` mounts it at the root.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, domain: ApiDomainName, api: HttpApi, stage: ApiStage, key: String,
        file: String = #fileID, line: Int = #line
    ) {
        self.domain = domain
        self.api = api
        self.stage = stage
        self.key = key
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = ["DomainName": domain.name, "ApiId": api.apiId, "Stage": stage.stageName]
        if !key.isEmpty { properties["ApiMappingKey"] = .string(key) }
        resource = CfnResource(in: self, type: "AWS::ApiGatewayV2::ApiMapping", properties: properties, file: file, line: line)
        if let taken = domain.mappings[key] {
            report(.construct(
                self, "mapping key '\(key)' is already taken on \(domain.domainName) by \(taken.path) (\(taken.location))",
                hint: "mount this API under another key, e.g. '\(key)2' or the application's name"))
        } else {
            domain.mappings[key] = self
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let allowed = "$-_.+!*'(),"
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if !key.isEmpty && (segments.contains { $0.isEmpty } || !key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "/" || allowed.contains($0)) }) {
            problems.append(.construct(self, "mapping key '\(key)' is not a valid path", hint: "use letters, digits and single '/' between segments, e.g. 'quiz' or 'quiz/v2'"))
        }
        if stage.api !== api {
            problems.append(.construct(self, "stage \(stage.path) belongs to another API than \(api.path)", hint: "map a stage of the same API"))
        }
        if let stack, let domainStack = domain.stack, stack.account.id != domainStack.account.id || stack.region != domainStack.region {
            problems.append(.construct(self, "domain \(domain.path) is in \(domainStack.account) \(domainStack.region), the mapping in \(stack.account) \(stack.region)", hint: "API mappings work within one account and region"))
        }
        if let repeating = repeatedKeyWarning() { problems.append(repeating) }
        return problems
    }

    /// A warning when routes of the API begin with the mapping key: the domain already puts the
    /// key in front of every path, so `GET /photos` under key `photos` is served at `/photos/photos`.
    func repeatedKeyWarning() -> Diagnostic? {
        guard !key.isEmpty else { return nil }
        let prefix = "/" + key
        let repeating = api.routes.filter { route in
            let parts = route.routeKey.text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return false }
            return parts[1] == prefix || parts[1].hasPrefix(prefix + "/")
        }
        guard let first = repeating.first else { return nil }
        let parts = first.routeKey.text.split(separator: " ", maxSplits: 1).map(String.init)
        let path = parts[1]
        let shortened = path.dropFirst(prefix.count).isEmpty ? "/" : String(path.dropFirst(prefix.count))
        let routes = repeating.map { "'\($0.routeKey)'" }.joined(separator: ", ")
        return .constructWarning(
            self, "route\(repeating.count == 1 ? "" : "s") \(routes) of \(api.path) repeat\(repeating.count == 1 ? "s" : "") the mapping key '\(key)': \(repeating.count == 1 ? "it is" : "the first is") served at https://\(domain.domainName)/\(key)\(path)",
            hint: "the mapping already puts /\(key) in front of every route: drop it from the route paths ('\(first.routeKey)' becomes '\(parts[0]) \(shortened)'), or mount the API with key: \"\"")
    }
}
