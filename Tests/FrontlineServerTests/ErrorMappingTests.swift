import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird
import HummingbirdTesting
import Testing
@testable import FrontlineServer

/// Every kind of error the library throws becomes one JSON answer with the status that says whose
/// fault it is: the request's (4xx) or the server's data or drawing (500).
@Suite struct ErrorMappingTests {
    static let overlapping = DatasetError(issues: [ValidationIssue(
        .error, .overlappingControl, file: "control.geojson", feature: 3, property: "geometry",
        "held by two parties on 2021-03-01 (4.2 km²)")])

    static let cases: [(error: any Error & Sendable, status: HTTPResponse.Status, message: String)] = [
        (MapRequestError(.malformed, "'2022-02-30' is not a date"), .badRequest, "'2022-02-30' is not a date"),
        (MapRequestError(.inconsistent, "from must be earlier than to"), .badRequest, "from must be earlier than to"),
        (MapRequestError(.unknownStyle, "unknown style 'x'"), .notFound, "unknown style 'x'"),
        (DateOutOfRange(date: CalendarDate("2019-01-01")!, extent: CalendarDate("2020-11-10")!...CalendarDate("2023-09-30")!),
         .notFound, "2019-01-01"),
        (overlapping, .internalServerError, "held by two parties on 2021-03-01"),
        (GeometryError(.geos, operation: "GEOSUnion_r", message: "TopologyException"), .internalServerError, "GEOSUnion_r failed: TopologyException"),
        (RenderError("cairo_surface_finish", "out of memory"), .internalServerError, "drawing failed: cairo_surface_finish: out of memory"),
        (HTTPError(.badRequest, message: "no parameter"), .badRequest, "no parameter"),
        (CocoaError(.fileReadNoPermission), .internalServerError, "internal error"),
        (APIError(.serviceUnavailable, "busy"), .serviceUnavailable, "busy"),
    ]

    @Test(arguments: cases.indices)
    func eachErrorKindGetsItsStatusAndAJSONBody(_ index: Int) async throws {
        let (error, status, message) = Self.cases[index]
        let router = Router()
        router.add(middleware: ErrorMappingMiddleware())
        router.get("/fails") { _, _ -> String in throw error }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/fails", method: .get) { response in
                #expect(response.status == status)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["status"] as? Int == Int(status.code))
                #expect((body?["error"] as? String)?.contains(message) == true, "\(String(describing: body?["error"]))")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == "{\"error\":\"nothing at /nowhere\",\"status\":404}\n")
            }
        }
    }

    /// The bug that asked for this: overlapping control answered /changes.geojson with a bare 500.
    @Test func overlappingControlInTheDataIsAJSONAnswerFromTheChangesAPI() async throws {
        let data = ServerTests.repository.appendingPathComponent("Tests/FrontlineDataTests/Fixtures/bad/overlapping-control-large")
        let (app, _) = try ServerTests.application(ServerTests.configuration(data: data))
        try await app.test(.router) { client in
            try await client.execute(uri: "/changes.geojson?from=2021-01-01&to=2021-06-01", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body).contains("overlap"))
            }
        }
    }
}
