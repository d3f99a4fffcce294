import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct BucketTests {
    private static func function(_ stack: Stack, _ id: String = "Worker") -> Function {
        Function(in: stack, id, handler: "a.b", code: .inline("x"), tracing: false)
    }

    @Test func overlappingNotificationFiltersAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Photos")
            let uploads = Bucket(in: stack, "Uploads")
            uploads.addEventNotification(.objectCreated, to: .queue(Queue(in: stack, "Work")), prefix: "incoming/", line: 4000)
            uploads.addEventNotification(.objectCreatedPut, to: .function(Self.function(stack)), prefix: "incoming/raw/", suffix: ".jpg", line: 4001)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/BucketTests.swift:4001: error: dev/Photos/Uploads: notification of s3:ObjectCreated:Put (prefix 'incoming/raw/', suffix '.jpg') to dev/Photos/Worker overlaps the notification of s3:ObjectCreated:* (prefix 'incoming/') to dev/Photos/Work at ConstructsTests/BucketTests.swift:4000; S3 refuses overlapping filters for the same event
              hint: give the two notifications prefixes neither of which starts the other, or suffixes neither of which ends the other; or send the events to one destination and fan out from there
            """])
    }

    @Test func notificationsThatCannotMatchTheSameKeyOrEventAreAccepted() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Photos")
            let uploads = Bucket(in: stack, "Uploads")
            let work = Queue(in: stack, "Work")
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "images/")
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "logs/")
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "docs/", suffix: ".pdf")
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "docs/", suffix: ".txt")
            uploads.addEventNotification(.objectRemoved, to: .queue(work), prefix: "images/")
        }
        #expect(diagnostics.isEmpty)
    }

    @Test func lifecycleRuleErrors() {
        let diagnostics = Fixtures.diagnostics { app in
            let bucket = Bucket(in: Stack(in: app, "Test"), "Data")
            bucket.addLifecycleRule(LifecycleRule(id: "Nothing"), line: 4100)
            bucket.addLifecycleRule(LifecycleRule(id: "TooSoon", transitions: [.init(.standardInfrequentAccess, afterDays: 7)]), line: 4101)
            bucket.addLifecycleRule(
                LifecycleRule(id: "Backwards", transitions: [.init(.glacierInstantRetrieval, afterDays: 90)], expirationDays: 30), line: 4102)
            bucket.addLifecycleRule(LifecycleRule(id: "ExpireOldVersions", expirationDays: 0), line: 4103)
        }
        #expect(diagnostics.map(\.description) == [
            """
            ConstructsTests/BucketTests.swift:4100: error: dev/Test/Data: lifecycle rule 'Nothing' neither moves nor expires objects
              hint: give it transitions: or expirationDays:
            """,
            """
            ConstructsTests/BucketTests.swift:4101: error: dev/Test/Data: lifecycle rule 'TooSoon' moves objects to STANDARD_IA after 7 days; S3 requires at least 30
              hint: objects must be 30 days old before moving to an infrequent-access class; use GLACIER_IR or INTELLIGENT_TIERING for younger ones
            """,
            """
            ConstructsTests/BucketTests.swift:4102: error: dev/Test/Data: lifecycle rule 'Backwards' expires objects after 30 days, not after its last transition (90 days)
              hint: expire objects later than they move, or drop the transition
            """,
            """
            ConstructsTests/BucketTests.swift:4103: error: dev/Test/Data: lifecycle rule 'ExpireOldVersions' counts 0 days; S3 counts whole days from 1
              hint: use at least 1 day
            """,
            """
            ConstructsTests/BucketTests.swift:4103: error: dev/Test/Data: lifecycle rule id 'ExpireOldVersions' is used twice
              hint: give each rule of a bucket its own id
            """,
        ])
    }

    @Test func grantWithAWildcardPrefixIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            Bucket(in: stack, "Data").grantRead(to: Self.function(stack), prefix: "/incoming/*", line: 4200)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/BucketTests.swift:4200: error: dev/Test/Worker: grantRead on dev/Test/Data: key prefix '/incoming/*' starts with '/' (S3 keys do not)
              hint: write the prefix as the keys start, without a leading '/' or wildcards, e.g. incoming/
            """])
    }

    @Test func invalidBucketNameIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Bucket(in: Stack(in: app, "Test"), "Data", bucketName: "Photos_Bucket", line: 4300)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/BucketTests.swift:4300: error: dev/Test/Data: bucket name 'Photos_Bucket' has characters other than lowercase letters, digits, '-' and '.'
              hint: use 3 to 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit
            """])
    }

    @Test func derivedNamesStayWithinSixtyThreeCharacters() throws {
        var name: String?
        _ = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "AVeryLongStackNameForPhotographs")
            let bucket = Bucket(in: stack, "IncomingUploadsFromTheMobileApplication")
            bucket.addEventNotification(.objectCreated, to: .queue(Queue(in: stack, "Work")))
            name = bucket.fixedName.flatMap { if case .string(let text) = $0 { text } else { nil } }
        }
        let derived = try #require(name)
        #expect(derived.count <= 63)
        #expect(derived.hasPrefix("dev-averylongstackname"))
        #expect(derived.hasSuffix("-800000000001-eu-west-1"))
    }

    @Test func notificationsReachAQueueAndAFunctionWithoutACycle() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let work = Queue(in: stack, "Work", visibilityTimeout: 60)
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            let uploads = Bucket(in: stack, "Uploads", lifecycleRules: [LifecycleRule(id: "ExpireTmp", prefix: "tmp/", expirationDays: 1)])
            uploads.grantRead(to: thumbnailer, prefix: "incoming/")
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "incoming/")
            uploads.addEventNotification(.objectRemoved, to: .function(thumbnailer), suffix: ".jpg")
            uploads.sendEventsToEventBridge()
            uploads.grantPut(to: thumbnailer, prefix: "thumbnails/")
            uploads.grantDelete(to: thumbnailer)
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        // The queue policy and the permission name the bucket by its fixed name, not !Ref, and the
        // bucket depends on them: no cycle, even for a grant made before the first notification.
        #expect(yaml.contains("""
              WorkPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: s3.amazonaws.com
                      Action: sqs:SendMessage
                      Resource: !GetAtt Work.Arn
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !Sub arn:${AWS::Partition}:s3:::dev-photos-uploads-800000000001-eu-west-1
                        StringEquals:
                          aws:SourceAccount: '800000000001'
                  Queues:
                  - !Ref Work
            """))
        #expect(yaml.contains("""
              ThumbnailerUploadsPermission:
                Type: AWS::Lambda::Permission
                Properties:
                  Action: lambda:InvokeFunction
                  FunctionName: !GetAtt Thumbnailer.Arn
                  Principal: s3.amazonaws.com
                  SourceAccount: '800000000001'
                  SourceArn: !Sub arn:${AWS::Partition}:s3:::dev-photos-uploads-800000000001-eu-west-1
            """))
        #expect(yaml.contains("""
              Uploads:
                Type: AWS::S3::Bucket
                DependsOn:
                - WorkPolicy
                - ThumbnailerUploadsPermission
                Properties:
                  BucketEncryption:
                    ServerSideEncryptionConfiguration:
                    - BucketKeyEnabled: true
                      ServerSideEncryptionByDefault:
                        SSEAlgorithm: AES256
                  BucketName: dev-photos-uploads-800000000001-eu-west-1
                  LifecycleConfiguration:
                    Rules:
                    - Id: ExpireOldVersions
                      NoncurrentVersionExpiration:
                        NoncurrentDays: 90
                      Status: Enabled
                    - AbortIncompleteMultipartUpload:
                        DaysAfterInitiation: 7
                      ExpirationInDays: 1
                      Id: ExpireTmp
                      Prefix: tmp/
                      Status: Enabled
                  NotificationConfiguration:
                    EventBridgeConfiguration:
                      EventBridgeEnabled: true
                    LambdaConfigurations:
                    - Event: s3:ObjectRemoved:*
                      Filter:
                        S3Key:
                          Rules:
                          - Name: suffix
                            Value: .jpg
                      Function: !GetAtt Thumbnailer.Arn
                    QueueConfigurations:
                    - Event: s3:ObjectCreated:*
                      Filter:
                        S3Key:
                          Rules:
                          - Name: prefix
                            Value: incoming/
                      Queue: !GetAtt Work.Arn
                  OwnershipControls:
                    Rules:
                    - ObjectOwnership: BucketOwnerEnforced
                  PublicAccessBlockConfiguration:
                    BlockPublicAcls: true
                    BlockPublicPolicy: true
                    IgnorePublicAcls: true
                    RestrictPublicBuckets: true
                  VersioningConfiguration:
                    Status: Enabled
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """))
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action: s3:ListBucket
                        Resource: !Sub arn:${AWS::Partition}:s3:::dev-photos-uploads-800000000001-eu-west-1
                        Condition:
                          StringLike:
                            s3:prefix: incoming/*
                      - Effect: Allow
                        Action:
                        - s3:GetObject
                        - s3:GetObjectVersion
                        Resource: !Join
                        - ''
                        - - !Sub arn:${AWS::Partition}:s3:::dev-photos-uploads-800000000001-eu-west-1
                          - /incoming/*
            """))
        #expect(yaml.contains("Action: s3:DeleteObject"))
        #expect(!yaml.contains("Thumbnailer.Arn, /"))
        // S3 cannot use alias/aws/sqs: the queue switches to SSE-SQS and says why.
        #expect(yaml.contains("SqsManagedSseEnabled: true"))
        #expect(yaml.contains("- id: CKV_AWS_27"))
    }

    @Test func grantsWithoutNotificationsReferToTheBucket() throws {
        var grant: Grant?
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            grant = Bucket(in: stack, "Data").grantReadWrite(to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")))
        }
        #expect(grant?.statement.actions == ["s3:GetObject", "s3:GetObjectVersion", "s3:AbortMultipartUpload", "s3:PutObject", "s3:DeleteObject"])
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("Resource: !Join ['', [!GetAtt Data.Arn, /*]]"))
        #expect(!yaml.contains("BucketName:"))
    }
}
