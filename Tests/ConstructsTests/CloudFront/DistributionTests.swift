import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct DistributionTests {
    @Test func privateBucketBehindOriginAccessControl() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Web")
            Distribution(in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Site")))
        }
        let yaml = Fixtures.yaml(app, "dev-Web")
        #expect(yaml.contains("""
                    - Effect: Allow
                      Principal:
                        Service: cloudfront.amazonaws.com
                      Action: s3:GetObject
                      Resource: !Join ['', [!GetAtt Site.Arn, /*]]
                      Condition:
                        StringEquals:
                          AWS:SourceArn: !Sub arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}
            """))
        #expect(yaml.contains("""
                    Origins:
                    - Id: Origin
                      DomainName: !GetAtt Site.RegionalDomainName
                      S3OriginConfig:
                        OriginAccessIdentity: ''
                      OriginAccessControlId: !GetAtt CdnOriginAccessControl.Id
            """))
        #expect(yaml.contains("""
                    SigningBehavior: always
                    SigningProtocol: sigv4
            """))
        #expect(yaml.contains("ViewerProtocolPolicy: redirect-to-https"))
        // A plain asset CDN by default: no root object, missing objects are S3's 403 or 404.
        #expect(!yaml.contains("DefaultRootObject"))
        #expect(!yaml.contains("CustomErrorResponses"))
        #expect(yaml.contains("BlockPublicPolicy: true"))
        #expect(yaml.contains("aws:SecureTransport: 'false'"))
    }

    @Test func aliasesGetAUsEast1CertificateThroughThePlan() throws {
        let app = try Fixtures.synthesize { app in
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            let web = Stack(in: app, "Web")
            Distribution(in: web, "Cdn", origin: .bucket(Bucket(in: web, "Site")), domainNames: ["www.dev.example.com"], zone: zone)
        }
        #expect(app.stacks.map { "\($0.stackName)@\($0.region)" } == ["dev-Dns@eu-west-1", "dev-WebCertificate@us-east-1", "dev-Web@eu-west-1"])
        let web = try #require(app.stack(named: "dev-Web"))
        #expect(web.inputs.contains(StackInput(parameter: "WebCertificateCdnCertificateArn", producerStack: "dev-WebCertificate", output: "CdnCertificateArn")))
        #expect(Fixtures.yaml(app, "dev-Web").contains("""
                    ViewerCertificate:
                      AcmCertificateArn: !Ref WebCertificateCdnCertificateArn
                      SslSupportMethod: sni-only
                      MinimumProtocolVersion: TLSv1.2_2021
            """))
        #expect(Fixtures.yaml(app, "dev-Web").contains("""
                  HostedZoneId: !Ref DnsZoneId
                  Name: www.dev.example.com
                  Type: AAAA
                  AliasTarget:
                    DNSName: !GetAtt Cdn.DomainName
                    HostedZoneId: Z2FDTNDATAQYW2
            """))
    }

    @Test func certificateFromAnotherRegionIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Web")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            let certificate = Certificate(in: stack, "Cert", domainName: "www.dev.example.com", zone: zone)
            Distribution(in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Site")), domainNames: ["www.dev.example.com"], certificate: certificate)
        }
        #expect(diagnostics.map(\.message) == ["dev/Web/Cdn: certificate dev/Web/Cert is in eu-west-1, but CloudFront only uses certificates from us-east-1"])
    }

    @Test func originAccessControlForANonS3OriginIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Distribution(in: Stack(in: app, "Web"), "Cdn", origin: .custom("api.example.org", originAccessControl: true))
        }
        #expect(diagnostics.map(\.message) == ["dev/Web/Cdn: origin 'api.example.org' is not an S3 bucket, and origin access control signs requests to S3 origins only"])
    }

    @Test func aliasNotCoveredByTheCertificateIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            let certificate = Certificate(in: Stack(in: app, "Certs", region: "us-east-1"), "Cert", domainName: "www.dev.example.com", zone: zone)
            let web = Stack(in: app, "Web")
            Distribution(in: web, "Cdn", origin: .bucket(Bucket(in: web, "Site")), domainNames: ["shop.dev.example.com"], certificate: certificate)
        }
        #expect(diagnostics.map(\.message) == ["dev/Web/Cdn: alias 'shop.dev.example.com' is not covered by certificate dev/Certs/Cert (www.dev.example.com)"])
    }

    @Test func aSinglePageApplicationAsksForItsRootObjectAndFallback() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Web")
            Distribution(
                in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Site")), defaultRootObject: "index.html",
                singlePageApplication: .fallback(to: "/app.html"))
        }
        let yaml = Fixtures.yaml(app, "dev-Web")
        #expect(yaml.contains("""
                    Enabled: true
                    DefaultRootObject: index.html
                    HttpVersion: http2and3
            """))
        #expect(yaml.contains("""
                    CustomErrorResponses:
                    - ErrorCode: 403
                      ResponseCode: 200
                      ResponsePagePath: /app.html
                      ErrorCachingMinTTL: 10
                    - ErrorCode: 404
                      ResponseCode: 200
                      ResponsePagePath: /app.html
                      ErrorCachingMinTTL: 10
            """))
    }

    @Test func aRootObjectWithALeadingSlashIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Web")
            Distribution(in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Site")), defaultRootObject: "/index.html", line: 1000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/DistributionTests.swift:1000: error: dev/Web/Cdn: default root object '/index.html' must be an object name without a leading '/'
              hint: write e.g. defaultRootObject: "index.html" (CloudFront adds the '/')
            """])
    }

    @Test func aFallbackPageThatIsNoPathIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Web")
            Distribution(in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Site")), singlePageApplication: .fallback(to: "index.html"), line: 1000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/DistributionTests.swift:1000: error: dev/Web/Cdn: single-page fallback page 'index.html' must be a path from the root, such as /index.html
              hint: write singlePageApplication: .fallback(to: "/index.html")
            """])
    }
}
