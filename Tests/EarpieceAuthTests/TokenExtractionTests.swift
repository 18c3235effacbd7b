import Testing

@testable import EarpieceAuth

@Suite("Finding the token in a request")
struct TokenExtractionTests {
    @Test(
        "an Authorization header yields its bearer token",
        arguments: [
            "Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "  Bearer   abc.def.ghi  ",
            "Bearer\tabc.def.ghi",
        ])
    func bearer(header: String) {
        #expect(TokenExtraction.bearer(fromAuthorization: header) == "abc.def.ghi")
    }

    @Test(
        "an Authorization header without a single bearer token yields nothing",
        arguments: [
            nil, "", "   ", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearerabc.def.ghi", "Bearer abc def",
            "Token abc",
        ] as [String?])
    func noBearer(header: String?) {
        #expect(TokenExtraction.bearer(fromAuthorization: header) == nil)
    }

    @Test(
        "the WebSocket protocol header yields the token and the protocol to echo",
        arguments: [
            "earpiece.v1, bearer.abc.def.ghi",
            "bearer.abc.def.ghi, earpiece.v1",
            "earpiece.v1,bearer.abc.def.ghi",
            "  earpiece.v1 ,   bearer.abc.def.ghi  ",
            "chat, earpiece.v1, soap, bearer.abc.def.ghi",
            "earpiece.v1, Bearer.abc.def.ghi",
            "earpiece.v1, , bearer.abc.def.ghi",
        ])
    func webSocket(header: String) throws {
        let found = try #require(TokenExtraction.fromWebSocketProtocols(header))
        #expect(found.token == "abc.def.ghi")
        #expect(found.protocolToEcho == "earpiece.v1")
    }

    @Test(
        "the WebSocket protocol header without one token and earpiece.v1 yields nothing",
        arguments: [
            nil, "", "earpiece.v1", "bearer.abc.def.ghi", "chat, bearer.abc.def.ghi", "earpiece.v1, bearer.",
            "earpiece.v1, bearer.aaa.bbb.ccc, bearer.ddd.eee.fff", "earpiece.v2, bearer.abc.def.ghi",
            "earpiece.v1, bearer.abc def",
        ] as [String?])
    func noWebSocketToken(header: String?) {
        #expect(TokenExtraction.fromWebSocketProtocols(header) == nil)
    }

    @Test func aRealTokenIsAValidProtocolNameAndRoundTrips() async throws {
        let fixture = try await AuthFixture()
        let token = try await TokenMinter(key: fixture.devKey).mint(
            userID: "auth0|abc", org: "acme", env: .prod, roles: [.rep])
        let offered = "\(TokenExtraction.webSocketProtocol), \(TokenExtraction.bearerProtocolPrefix)\(token)"
        // RFC 6455 protocol names are RFC 7230 tokens: these are the characters a JWT may use.
        #expect(
            offered.split(separator: ", ").allSatisfy {
                $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            })
        let found = try #require(TokenExtraction.fromWebSocketProtocols(offered))
        #expect(found.token == token)
        #expect(try await fixture.verifier.verify(found.token).userID == "auth0|abc")
    }
}
