import Foundation
import Testing

@testable import S3

/// The signer against the examples AWS publishes for S3
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): the documentation's credentials,
/// bucket and time, and the signatures printed there.
@Suite struct SigV4SignerTests {
    static let signer = SigV4Signer(
        credentials: S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    /// 2013-05-24T00:00:00Z.
    static let may24 = Date(timeIntervalSince1970: 1_369_353_600)
    static let bucket = "https://examplebucket.s3.amazonaws.com"

    static func signature(_ headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name == "Authorization" }?.value.components(separatedBy: "Signature=").last
    }

    @Test func getObjectWithARange() throws {
        let headers = Self.signer.signatureHeaders(
            method: "GET", url: try #require(URL(string: "\(Self.bucket)/test.txt")),
            headers: [(name: "Range", value: "bytes=0-9")], payloadHash: SigV4Signer.emptyPayload, date: Self.may24)
        #expect(Self.signature(headers) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        let authorization = try #require(headers.first { $0.name == "Authorization" }?.value)
        #expect(
            authorization.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature="))
        #expect(headers.contains { $0 == (name: "x-amz-date", value: "20130524T000000Z") })
    }

    @Test func putObjectWithAKeyThatNeedsEncoding() throws {
        let body = Data("Welcome to Amazon S3.".utf8)
        let payloadHash = SigV4Signer.hexSHA256(body)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let headers = Self.signer.signatureHeaders(
            method: "PUT", url: try #require(URL(string: "\(Self.bucket)/test%24file.text")),
            headers: [
                (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
            ], payloadHash: payloadHash, date: Self.may24)
        #expect(Self.signature(headers) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycleWithAValuelessQuery() throws {
        let headers = Self.signer.signatureHeaders(
            method: "GET", url: try #require(URL(string: "\(Self.bucket)/?lifecycle")),
            payloadHash: SigV4Signer.emptyPayload, date: Self.may24)
        #expect(Self.signature(headers) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjectsWithTheQuerySorted() throws {
        let headers = Self.signer.signatureHeaders(
            method: "GET", url: try #require(URL(string: "\(Self.bucket)/?prefix=J&max-keys=2")),
            payloadHash: SigV4Signer.emptyPayload, date: Self.may24)
        #expect(Self.signature(headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGetForADay() throws {
        let url = Self.signer.presign(
            method: "GET", url: try #require(URL(string: "\(Self.bucket)/test.txt")), expires: 86_400,
            date: Self.may24)
        #expect(
            url.absoluteString
                == "\(Self.bucket)/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func aSessionTokenIsSignedAndTheSecretShowsNowhere() throws {
        let credentials = S3Credentials(
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-never-shown",
                "AWS_SESSION_TOKEN": "session-token-1",
            ])
        let signer = SigV4Signer(credentials: try #require(credentials))
        let headers = signer.signatureHeaders(
            method: "HEAD", url: try #require(URL(string: "http://127.0.0.1:8333/bucket/a%20b/c")),
            payloadHash: SigV4Signer.emptyPayload, date: Self.may24)
        #expect(headers.contains { $0 == (name: "x-amz-security-token", value: "session-token-1") })
        let authorization = try #require(headers.first { $0.name == "Authorization" }?.value)
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(!"\(signer.credentials)".contains("secret-never-shown"))
        #expect(!"\(signer.credentials)".contains("session-token-1"))
        #expect(S3Credentials(environment: ["AWS_ACCESS_KEY_ID": "only-the-id"]) == nil)
    }

    @Test func pathsAreEncodedOnceAndHostsKeepTheirPort() throws {
        let url = try #require(URL(string: "http://127.0.0.1:8333/bucket/recordings/a%20b%2Bc/call.mp3"))
        #expect(SigV4Signer.canonicalPath(url) == "/bucket/recordings/a%20b%2Bc/call.mp3")
        #expect(SigV4Signer.host(of: url) == "127.0.0.1:8333")
        #expect(SigV4Signer.host(of: try #require(URL(string: "https://s3.example.com:443/x"))) == "s3.example.com")
        #expect(SigV4Signer.uriEncode("a/b~c=d é") == "a%2Fb~c%3Dd%20%C3%A9")
    }
}
