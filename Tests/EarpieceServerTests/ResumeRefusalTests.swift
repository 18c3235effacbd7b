import Foundation
import Testing

/// Every way a stream can name a call that it may not record into is refused before the upgrade, with the
/// status and reason `docs/protocol.md` promises.
struct ResumeRefusalTests {
    @Test func aResumeThatDoesNotFitItsCallIsRefusedBeforeTheUpgrade() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token(user: "u-1")
            let otherRep = try await gateway.token(user: "u-2")
            let otherTenant = try await gateway.token(org: "other-corp", user: "u-1")
            let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-call.opus"), sending: .rawFrames)
            // A call left open by a dropped connection, and one its rep closed.
            let open = try await ChildServer.streamUntilAcked(
                port: gateway.port, token: rep, query: "channels=1&container=raw&call_id=open-call",
                frames: Array(frames.prefix(50)), atLeast: 0)
            let token = try #require(open.resumeToken)
            let closed = try await StreamClient.stream(
                gateway, token: rep, query: "channels=1&container=raw&call_id=closed-call", messages: Array(frames.prefix(50)))
            let closedToken = try #require(closed.of("ready").first?.resume_token)

            func status(_ query: String, _ bearer: String) async throws -> (Int, String) {
                let response = try await RawHTTP.get(port: gateway.port, path: "/v1/stream?\(query)", headers: [("Authorization", "Bearer \(bearer)")])
                return (response.status, response.body)
            }
            let cases: [(query: String, bearer: String, status: Int, reason: String)] = [
                ("resume_token=\(token)", rep, 400, "resume_token needs the call_id"),
                ("call_id=open-call&resume_token=not%20a%20token", rep, 400, "resume_token is malformed"),
                ("call_id=open-call", rep, 409, "exists; to resume it pass its resume_token"),
                ("call_id=open-call&resume_token=rt_00000000000000000000000000000000", rep, 404, "no call open-call"),
                ("call_id=open-call&resume_token=\(token)", otherRep, 404, "no call open-call"),
                ("call_id=open-call&resume_token=\(token)", otherTenant, 404, "no call open-call"),
                ("call_id=closed-call&resume_token=\(closedToken)", rep, 409, "has ended"),
            ]
            for refusal in cases {
                let (code, body) = try await status(refusal.query, refusal.bearer)
                #expect(code == refusal.status, "\(refusal.query)")
                #expect(body.contains(refusal.reason), "\(refusal.query): \(body)")
            }
        }
    }
}
