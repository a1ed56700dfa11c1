import Foundation
import Testing

@testable import S3

/// `--storage s3://BUCKET/PREFIX` and the AWS tools' variables, with no server.
@Suite struct S3LocationTests {
    @Test func parsesABucketAndNormalisesThePrefix() throws {
        #expect(try S3Location(parsing: "s3://recordings").prefix == "")
        #expect(try S3Location(parsing: "s3://recordings/").prefix == "")
        let location = try S3Location(parsing: "s3://my.bucket-1/tenant/calls")
        #expect(location.bucket == "my.bucket-1")
        #expect(location.prefix == "tenant/calls/")
        #expect(try S3Location(parsing: "s3://recordings/tenant/calls/") == location.withBucket("recordings"))
        #expect(location.key("recordings/42/call.mp3") == "tenant/calls/recordings/42/call.mp3")
        #expect(location.key("/x") == "tenant/calls/x")
        #expect(try S3Location(parsing: "s3://recordings").key("a b+c") == "a b+c")
        #expect(location.description == "s3://my.bucket-1/tenant/calls/")
    }

    @Test(arguments: [
        "recordings", "https://recordings", "s3://", "s3:///prefix", "s3://UPPER/x", "s3://ab", "s3://b/a//c",
    ])
    func refusesABadValueInOneLineNamingTheOption(_ value: String) {
        #expect {
            try S3Location(parsing: value)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("--storage: ") && !text.contains("\n")
        }
    }

    @Test func readsTheEnvironmentAsAWSToolsDo() throws {
        let local = try S3Configuration(environment: [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:8333/", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "s3cr3t",
            "AWS_SESSION_TOKEN": "t0k3n",
        ])
        #expect(local.usesPathStyle)
        #expect(local.region == "us-east-1")
        #expect(local.credentials.sessionToken == "t0k3n")
        #expect(local.bucketURL("recordings") == "http://127.0.0.1:8333/recordings")

        let aws = try S3Configuration(environment: [
            "AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "s3cr3t",
        ])
        #expect(!aws.usesPathStyle)
        #expect(aws.bucketURL("recordings") == "https://recordings.s3.eu-west-3.amazonaws.com")
        for text in ["\(aws)", "\(local)", String(reflecting: local), dumped(local)] {
            #expect(!text.contains("s3cr3t") && !text.contains("t0k3n"), "\(text)")
        }
    }

    @Test func namesAMissingVariableAndNeverASecret() {
        for (environment, variable) in [
            (["AWS_SECRET_ACCESS_KEY": "s3cr3t"], "AWS_ACCESS_KEY_ID"),
            (["AWS_ACCESS_KEY_ID": "key"], "AWS_SECRET_ACCESS_KEY"),
            (
                ["AWS_ENDPOINT_URL": "ftp://x", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "s3cr3t"],
                "AWS_ENDPOINT_URL"
            ),
        ] {
            #expect {
                try S3Configuration(environment: environment)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix(variable) && !text.contains("s3cr3t") && !text.contains("\n")
            }
        }
    }

    func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}

extension S3Location {
    fileprivate func withBucket(_ bucket: String) throws -> S3Location {
        try S3Location(bucket: bucket, prefix: prefix)
    }
}
