import CloudFormation
import Synthesis

/// What a distribution serves.
public struct DistributionOrigin {
    public enum Kind {
        case bucket(Bucket)
        case custom(domainName: String)
    }

    public let kind: Kind
    /// Sign requests to the origin with an Origin Access Control (S3 origins only).
    public let originAccessControl: Bool

    /// A private S3 bucket, read through an Origin Access Control: only this distribution can read it.
    public static func bucket(_ bucket: Bucket) -> DistributionOrigin {
        DistributionOrigin(kind: .bucket(bucket), originAccessControl: true)
    }

    /// An HTTPS origin on the internet.
    public static func custom(_ domainName: String, originAccessControl: Bool = false) -> DistributionOrigin {
        DistributionOrigin(kind: .custom(domainName: domainName), originAccessControl: originAccessControl)
    }
}

/// How a distribution in front of a single-page application answers a path that is no object:
/// S3 answers 403 (an Origin Access Control may not list the bucket) or 404, and the distribution
/// turns both into `page` with status 200, so the application's client-side router handles the path.
public struct SinglePageApplication: Sendable, Hashable {
    /// The page served instead, a path from the root: `/index.html`.
    public let page: String

    /// Answer 403 and 404 with `page` and status 200.
    public static func fallback(to page: String = "/index.html") -> SinglePageApplication {
        SinglePageApplication(page: page)
    }
}

public enum PriceClass: String, Sendable {
    case priceClass100 = "PriceClass_100"
    case priceClass200 = "PriceClass_200"
    case all = "PriceClass_All"
}

/// A CloudFront distribution, usually in front of a private bucket.
///
/// Emits `AWS::CloudFront::Distribution`, an `AWS::CloudFront::OriginAccessControl` (SigV4, always
/// sign) for an S3 origin with the bucket policy statement that lets `cloudfront.amazonaws.com`
/// read objects only on behalf of this distribution (`AWS:SourceArn`), and alias `A`/`AAAA`
/// records in `zone` for every domain name. HTTPS only (HTTP redirects), TLS 1.2 minimum,
/// HTTP/2 and HTTP/3, IPv6, compression, the managed CachingOptimized policy. Not stateful.
///
/// CloudFront takes certificates from us-east-1 only. Without a `certificate`, one is made for the
/// domain names in a stack `<stack id>Certificate` in us-east-1 of the same account (validated
/// through `zone`), and its ARN reaches this stack through the plan. A certificate given from
/// another region is an error.
///
/// By default it serves objects as they are: `/` is no object and a missing path is S3's 403 or
/// 404, as an asset CDN should answer. A website asks for `defaultRootObject:` and, when a
/// client-side router handles its paths, `singlePageApplication: .fallback(to: "/index.html")`.
///
///     Distribution(in: frontend, "Cdn", origin: .bucket(site), domainNames: ["digidex.dev.example.com"], zone: zone,
///                  defaultRootObject: "index.html", singlePageApplication: .fallback(to: "/index.html"))
public final class Distribution: Construct {
    public static let cloudFrontHostedZoneId = "Z2FDTNDATAQYW2"
    /// The managed cache policy CachingOptimized.
    static let cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"

    public let origin: DistributionOrigin
    public let domainNames: [String]
    public private(set) var certificate: Certificate?
    public let zone: HostedZone?
    /// The object served for `/`, if any.
    public let defaultRootObject: String?
    /// The fallback page for paths that are no object, if any.
    public let singlePageApplication: SinglePageApplication?
    public private(set) var resource: CfnResource!

    /// - Parameters:
    ///   - domainNames: Aliases served; the `*.cloudfront.net` name only by default.
    ///   - certificate: One from us-east-1 covering every alias; made for you by default.
    ///   - zone: Where alias records (and the made certificate's validation records) go.
    ///   - defaultRootObject: The object served for `/` (`index.html`, without a leading `/`);
    ///     none by default, so `/` is answered like any missing object.
    ///   - singlePageApplication: `.fallback(to: "/index.html")` answers 403 and 404 with that page
    ///     and status 200, so a client-side router handles the path; off by default, so a missing
    ///     object is a 403 or 404, as an asset CDN should answer.
    ///   - priceClass: `PriceClass_100` (North America and Europe) by default.
    ///   - accessLogs: Log every request (CloudFront standard logging, under `<id>/`) into the
    ///     stack's log bucket `AccessLogs`, made on first use, which also receives the access logs
    ///     of a bucket origin; on by default.
    ///   - webApplicationFirewall: Put an AWS WAF web ACL in front (AWS's common, known-bad-inputs
    ///     and IP reputation rule groups, and 2,000 requests per 5 minutes per IP); it costs about
    ///     $5 a month plus $1 per rule, so it is on in production (`tier: production`) and off
    ///     elsewhere. CloudFront takes web ACLs from us-east-1 only: outside us-east-1 it goes into
    ///     the us-east-1 stack that holds the certificate.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, origin: DistributionOrigin, domainNames: [String] = [],
        certificate: Certificate? = nil, zone: HostedZone? = nil, defaultRootObject: String? = nil,
        singlePageApplication: SinglePageApplication? = nil, priceClass: PriceClass = .priceClass100, comment: String? = nil,
        accessLogs: Bool = true, webApplicationFirewall: Bool? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.origin = origin
        self.domainNames = domainNames
        self.certificate = certificate
        self.zone = zone
        self.defaultRootObject = defaultRootObject
        self.singlePageApplication = singlePageApplication
        super.init(in: scope, id, file: file, line: line)

        let firewall = webApplicationFirewall ?? app.environment.isProduction
        var webACL: CfnResource?
        if let stack, firewall || (certificate == nil && !domainNames.isEmpty && zone != nil) {
            let globalStack = Self.usEast1Stack(for: stack, file: file, line: line)
            if firewall {
                webACL = Self.webACL(in: globalStack, LogicalIds.pascalCase(id) + "WebAcl", for: self, file: file, line: line)
            }
            if certificate == nil, !domainNames.isEmpty, let zone {
                self.certificate = Certificate(
                    in: globalStack, LogicalIds.pascalCase(id) + "Certificate", domainName: domainNames[0],
                    alternativeNames: Array(domainNames.dropFirst()), zone: zone, file: file, line: line)
            }
        }

        let originId = "Origin"
        var originConfig: Object = ["Id": .string(originId)]
        switch origin.kind {
        case .bucket(let bucket):
            originConfig["DomainName"] = bucket.regionalDomainName
            originConfig["S3OriginConfig"] = ["OriginAccessIdentity": ""]
        case .custom(let domainName):
            originConfig["DomainName"] = .string(domainName)
            originConfig["CustomOriginConfig"] = ["OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]]
        }
        if origin.originAccessControl, case .bucket = origin.kind {
            let control = CfnResource(
                in: self, "OriginAccessControl", type: "AWS::CloudFront::OriginAccessControl",
                properties: ["OriginAccessControlConfig": [
                    "Name": .sub("${AWS::StackName}-\(id)", Object()), "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always", "SigningProtocol": "sigv4",
                ]], file: file, line: line)
            originConfig["OriginAccessControlId"] = control.attribute("Id")
        }

        var config: Object = ["Enabled": true]
        if let comment { config["Comment"] = .string(comment) }
        if !domainNames.isEmpty { config["Aliases"] = .list(domainNames.map(Value.string)) }
        if let defaultRootObject { config["DefaultRootObject"] = .string(defaultRootObject) }
        config["HttpVersion"] = "http2and3"
        config["IPV6Enabled"] = true
        config["PriceClass"] = .string(priceClass.rawValue)
        config["Origins"] = [.object(originConfig)]
        config["DefaultCacheBehavior"] = [
            "TargetOriginId": .string(originId), "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"], "CachedMethods": ["GET", "HEAD"], "Compress": true,
            "CachePolicyId": .string(Self.cachingOptimized),
        ]
        if let singlePageApplication {
            config["CustomErrorResponses"] = .list([403, 404].map { code in
                ["ErrorCode": .int(code), "ResponseCode": 200, "ResponsePagePath": .string(singlePageApplication.page), "ErrorCachingMinTTL": 10]
            })
        }
        if let certificate = self.certificate {
            config["ViewerCertificate"] = [
                "AcmCertificateArn": certificate.arn, "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021",
            ]
        }
        var logs: Bucket?
        if accessLogs {
            let bucket = Self.logBucket(for: self, file: file, line: line)
            logs = bucket
            config["Logging"] = ["Bucket": bucket.resource.attribute("DomainName"), "IncludeCookies": false, "Prefix": .string("\(id)/")]
            if case .bucket(let origin) = origin.kind, origin !== bucket { origin.logAccess(to: bucket) }
        }
        if let webACL { config["WebACLId"] = webACL.attribute("Arn") }
        let resource = CfnResource(in: self, type: "AWS::CloudFront::Distribution", properties: ["DistributionConfig": .object(config)], file: file, line: line)
        self.resource = resource
        if webACL != nil {
            resource.enabled("CKV_AWS_68", because: "An AWS WAF web ACL (about $5 a month plus $1 per rule) filters requests, because the environment is production (tier: production).")
        } else {
            resource.justify("CKV_AWS_68", because: "No AWS WAF web ACL: it costs about $5 a month plus $1 per rule, so it is on only in production (tier: production) and off here to save cost. Pass webApplicationFirewall: true to add one.")
        }
        if logs == nil {
            resource.justify("CKV_AWS_86", because: "No access logs, because the construct was created with accessLogs: false; pass accessLogs: true to log requests into the stack's log bucket.")
        }
        if self.certificate == nil {
            resource.justify("CKV_AWS_174", because: "Served only on its cloudfront.net name with CloudFront's default certificate, for which CloudFront fixes the minimum protocol itself. Give it domainNames: and a zone to serve TLS 1.2 or newer only.")
        }

        if origin.originAccessControl, case .bucket(let bucket) = origin.kind {
            bucket.addToResourcePolicy(PolicyStatement(
                actions: ["s3:GetObject"], resources: [bucket.objectsArn], principal: ["Service": "cloudfront.amazonaws.com"],
                condition: ["StringEquals": ["AWS:SourceArn": .sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}", ["Distribution": distributionId])]]))
        }
        if let zone {
            for (index, name) in domainNames.enumerated() {
                for type in [RecordType.a, .aaaa] {
                    RecordSet(
                        in: self, "Alias\(index + 1)\(type.rawValue)", zone: zone, name: name, type: type,
                        target: .alias(dnsName: domainName, hostedZoneId: .string(Self.cloudFrontHostedZoneId)), file: file, line: line)
                }
            }
        }
    }

    /// The stack in us-east-1 that holds what CloudFront takes from there only (certificates, web
    /// ACLs): `stack` itself in us-east-1, else `<stack id>Certificate` in us-east-1 of the same account.
    static func usEast1Stack(for stack: Stack, file: String, line: Int) -> Stack {
        if stack.region == "us-east-1" { return stack }
        let stackId = "\(stack.id)Certificate"
        return (stack.app.child(stackId) as? Stack)
            ?? Stack(in: stack.app, stackId, account: stack.account, region: "us-east-1", shared: stack.isShared,
                     description: "CloudFront certificates of \(stack.stackName) (CloudFront reads them from us-east-1 only).",
                     file: file, line: line)
    }

    /// The stack's log bucket for distributions and their origins, made on first use.
    static func logBucket(for construct: Construct, file: String, line: Int) -> Bucket {
        guard let stack = construct.stack else { return Bucket(in: construct, "AccessLogs", receivesAccessLogs: true, file: file, line: line) }
        if let existing = stack.child("AccessLogs") as? Bucket { return existing }
        let bucket = Bucket(in: stack, "AccessLogs", receivesAccessLogs: true, file: file, line: line)
        bucket.acceptObjectACLs()
        return bucket
    }

    /// A web ACL for CloudFront (scope CLOUDFRONT, so in us-east-1) with AWS's managed rule groups
    /// and a rate limit.
    static func webACL(in stack: Stack, _ id: String, for distribution: Distribution, file: String, line: Int) -> CfnResource {
        func visibility(_ name: String) -> Value {
            ["SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": .string(name)]
        }
        var rules: [Value] = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]
            .enumerated().map { priority, group in
                [
                    "Name": .string(group), "Priority": .int(priority), "OverrideAction": ["None": .object(Object())],
                    "Statement": ["ManagedRuleGroupStatement": ["VendorName": "AWS", "Name": .string(group)]],
                    "VisibilityConfig": visibility(group),
                ]
            }
        rules.append([
            "Name": "RateLimitPerIp", "Priority": 3, "Action": ["Block": .object(Object())],
            "Statement": ["RateBasedStatement": ["Limit": 2000, "AggregateKeyType": "IP"]], "VisibilityConfig": visibility("RateLimitPerIp"),
        ])
        return CfnResource(
            in: stack, id, type: "AWS::WAFv2::WebACL",
            properties: [
                "Scope": "CLOUDFRONT", "DefaultAction": ["Allow": .object(Object())],
                "Description": .string("Filters requests to CloudFront distribution \(distribution.relativePath)"),
                "Rules": .list(rules), "VisibilityConfig": visibility(id),
            ], file: file, line: line)
    }

    public var distributionId: Value { resource.ref("Id") }
    /// `d111111abcdef8.cloudfront.net`
    public var domainName: Value { resource.attribute("DomainName") }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if origin.originAccessControl, case .custom(let domainName) = origin.kind {
            problems.append(.construct(
                self, "origin '\(domainName)' is not an S3 bucket, and origin access control signs requests to S3 origins only",
                hint: "use .bucket(...) for a bucket, or drop originAccessControl for a custom origin"))
        }
        if let certificate {
            if let region = certificate.region, region != "us-east-1" {
                problems.append(.construct(
                    self, "certificate \(certificate.path) is in \(region), but CloudFront only uses certificates from us-east-1",
                    hint: "leave certificate: out and pass zone:, and Stratus makes one in us-east-1; or create it in a us-east-1 stack"))
            }
            for name in domainNames where !certificate.covers(name) {
                problems.append(.construct(
                    self, "alias '\(name)' is not covered by certificate \(certificate.path) (\(certificate.names.joined(separator: ", ")))",
                    hint: "add the name to the certificate, or drop the alias"))
            }
        } else if !domainNames.isEmpty {
            problems.append(.construct(self, "aliases \(domainNames.joined(separator: ", ")) need a certificate", hint: "pass zone: so Stratus can make one in us-east-1, or pass certificate:"))
        }
        for name in domainNames {
            if let problem = DomainName.problem(with: name) {
                problems.append(.construct(self, "alias '\(name)' \(problem)", hint: "e.g. www.dev.example.com"))
            }
        }
        if let defaultRootObject, defaultRootObject.isEmpty || defaultRootObject.hasPrefix("/") {
            problems.append(.construct(
                self, "default root object '\(defaultRootObject)' must be an object name without a leading '/'",
                hint: "write e.g. defaultRootObject: \"index.html\" (CloudFront adds the '/')"))
        }
        if let page = singlePageApplication?.page, !page.hasPrefix("/") || page.count < 2 {
            problems.append(.construct(
                self, "single-page fallback page '\(page)' must be a path from the root, such as /index.html",
                hint: "write singlePageApplication: .fallback(to: \"/index.html\")"))
        }
        return problems
    }
}
