import CallWebhooks
import Foundation
import Testing

/// Standard Webhooks signing and verification, without I/O.
@Suite struct WebhookSignerTests {
    /// The example of the Standard Webhooks specification's reference libraries.
    static let specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let specID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let specTimestamp = 1_614_265_330
    static let specBody = Data(#"{"test": 2432232314}"#.utf8)
    static let specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    let signer = try! WebhookSigner(secret: specSecret)
    let specNow = Date(timeIntervalSince1970: TimeInterval(specTimestamp))

    @Test func signsAsTheSpecificationsExample() throws {
        #expect(
            signer.signature(id: Self.specID, timestamp: Self.specTimestamp, body: Self.specBody) == Self.specSignature)
        let headers = Dictionary(
            uniqueKeysWithValues: signer.headers(id: Self.specID, body: Self.specBody, now: specNow))
        #expect(headers["webhook-id"] == Self.specID)
        #expect(headers["webhook-timestamp"] == "1614265330")
        #expect(headers["webhook-signature"] == Self.specSignature)
    }

    @Test func acceptsAValidSignatureAmongSeveralWithinFiveMinutes() throws {
        for skew in [-300.0, 0, 299] {
            try signer.verify(
                id: Self.specID, timestamp: "\(Self.specTimestamp)",
                signatures: "v1,bm90IGl0 \(Self.specSignature) v2,other", body: Self.specBody,
                now: specNow.addingTimeInterval(skew))
        }
    }

    @Test func refusesForgedStaleAndIncompleteMessagesNamingTheHeader() throws {
        func refusal(
            id: String? = Self.specID, timestamp: String? = "\(Self.specTimestamp)",
            signatures: String? = Self.specSignature, body: Data = Self.specBody, now: TimeInterval = 0
        ) -> String? {
            do {
                try signer.verify(
                    id: id, timestamp: timestamp, signatures: signatures, body: body,
                    now: specNow.addingTimeInterval(now))
                return nil
            } catch let error as WebhookError {
                #expect(error.kind == .unauthenticated)
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(body: Data(#"{"test": 2432232315}"#.utf8))?.hasPrefix("webhook-signature") == true)
        #expect(refusal(id: "msg_other")?.hasPrefix("webhook-signature") == true)
        #expect(
            refusal(signatures: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")?.hasPrefix("webhook-signature")
                == true)
        #expect(refusal(signatures: nil)?.hasPrefix("webhook-signature") == true)
        #expect(refusal(now: 301)?.hasPrefix("webhook-timestamp") == true)
        #expect(refusal(now: -301)?.hasPrefix("webhook-timestamp") == true)
        #expect(refusal(timestamp: "soon")?.hasPrefix("webhook-timestamp") == true)
        #expect(refusal(id: nil)?.hasPrefix("webhook-id") == true)
        let other = try WebhookSigner(secret: "another secret")
        #expect(throws: WebhookError.self) {
            try other.verify(
                id: Self.specID, timestamp: "\(Self.specTimestamp)", signatures: Self.specSignature,
                body: Self.specBody, now: specNow)
        }
    }

    @Test func aSecretNeverShowsAndABadOneIsRefusedWithoutQuotingIt() throws {
        #expect(!"\(signer)".contains("MfKQ9r8G"))
        #expect(throws: WebhookError.self) { try WebhookSigner(secret: "  ") }
        do {
            _ = try WebhookSigner(secret: "whsec_not base64!")
            Issue.record("a whsec_ secret that is not base64 was taken")
        } catch let error as WebhookError {
            #expect(error.kind == .misconfigured)
            #expect(!error.message.contains("not base64!"))
        }
        #expect(try WebhookSigner.fromEnvironment([:]) == nil)
        #expect(try WebhookSigner.fromEnvironment(["CALLAUDIO_WEBHOOK_SECRET": Self.specSecret]) != nil)
    }
}
