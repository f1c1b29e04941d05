import Foundation
import Testing
import FrontlineData
import FrontlineGeometry

/// One case of the bad-input corpus (Fixtures/bad/<case>/, described in Fixtures/bad/expected.json).
struct BadInputCase: CustomTestStringConvertible, Sendable {
    var name: String
    var file: String
    var feature: Int?
    var property: String?
    var code: String
    var severity: String
    var testDescription: String { name }

    static func all() throws -> [BadInputCase] {
        guard case .object(let cases) = try Fixtures.json("bad/expected.json") else { return [] }
        return cases.keys.sorted().map { name in
            let c = cases[name]!
            return BadInputCase(name: name, file: c["file"]!.stringValue!, feature: c["feature"]?.numberValue.map { Int($0) },
                                property: c["property"]?.stringValue, code: c["code"]!.stringValue!, severity: c["severity"]!.stringValue!)
        }
    }
}

@Suite struct BadInputTests {
    @Test func theCorpusIsLargeAndCoversEveryKindOfDefect() throws {
        let cases = try BadInputCase.all()
        #expect(cases.count >= 20)
        let codes = Set(cases.map(\.code))
        for required in ["malformed-json", "wrong-geometry-type", "unclosed-ring", "too-few-positions", "invalid-coordinate",
                         "bad-date", "date-order", "unknown-party", "overlapping-control", "empty-file"] {
            #expect(codes.contains(required), "no case for \(required)")
        }
    }

    @Test(arguments: try BadInputCase.all())
    func eachBadInputGetsItsOwnClearIssue(_ c: BadInputCase) throws {
        let issues = Fixtures.issues(of: Fixtures.url("bad/\(c.name)"))
        let match = issues.first { $0.code.rawValue == c.code }
        let issue = try #require(match, "expected \(c.code), got: \(issues.map(\.description))")
        #expect(issue.severity.rawValue == c.severity)
        #expect(issue.file == c.file)
        #expect(issue.featureIndex == c.feature)
        #expect(issue.property == c.property)
        // The message names the file, the feature and the property.
        #expect(issue.description.contains(c.file))
        if let feature = c.feature { #expect(issue.description.contains("feature \(feature)")) }
        if let property = c.property { #expect(issue.description.contains(property)) }
        // Exactly one defect per case: no other error is reported.
        let otherErrors = issues.filter { $0.severity == .error && $0.code.rawValue != c.code }
        #expect(otherErrors.isEmpty, "unexpected: \(otherErrors.map(\.description))")
        if c.severity == "warning" {
            #expect(throws: Never.self) { try Dataset.load(from: Fixtures.url("bad/\(c.name)")) }
        }
    }

    @Test func overlapErrorsSayHowMuchAndWhere() throws {
        let issues = Fixtures.issues(of: Fixtures.url("bad/overlapping-control-large"))
        let overlap = try #require(issues.first { $0.code == .overlappingControl })
        #expect(overlap.message.contains("km²"))
        #expect(overlap.message.contains("Red") && overlap.message.contains("Blue"))
        #expect(overlap.location != nil)
    }

    @Test func aMissingFolderIsAnErrorNotACrash() {
        let issues = Fixtures.issues(of: URL(fileURLWithPath: "/nonexistent/frontline-data"))
        #expect(issues.contains { $0.code == .missingFile && $0.file == "dataset.json" && $0.message.contains("no dataset folder") })
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: ["2021-13-01", "2021-02-30", "2021-1-5", "01/02/2021", "2021-02-29", "", "2021-02-28x", "+021-02-28"])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func parsesOrdersAndCounts() throws {
        let leap = try #require(CalendarDate("2020-02-29"))
        #expect(leap.description == "2020-02-29")
        #expect(leap.adding(days: 1) == CalendarDate("2020-03-01"))
        #expect(date("2022-03-28").dayNumber - date("2022-03-01").dayNumber == 27)
        #expect(date("1970-01-01").dayNumber == 0)
        #expect(date("2022-03-24") < date("2022-03-28"))
        #expect(date("2022-03-26").longDescription == "26 March 2022")
        let period = ValidityPeriod(from: date("2022-03-24"), to: date("2022-03-28"))
        #expect(period.contains(date("2022-03-24")) && period.contains(date("2022-03-27")))
        #expect(!period.contains(date("2022-03-28")) && !period.contains(date("2022-03-23")))
    }
}

@Suite struct OverlappingDataTests {
    @Test func analysesRefuseToDoubleCountOverlappingControl() throws {
        let dataset = try Dataset.load(from: Fixtures.url("bad/overlapping-control-large"))
        let day = try #require(dataset.controlChangeDates.first)
        let error = #expect(throws: DatasetError.self) { try dataset.overlaps(on: day) }
        #expect(error?.issues.first?.code == .overlappingControl)
        #expect(error?.issues.first?.message.contains("123.1 km²") == true, "\(error?.issues.first?.message ?? "")")
        // A tiny overlap, under the tolerance, is only a warning and the analyses run.
        let tiny = try Dataset.load(from: Fixtures.url("bad/overlapping-control-tiny"))
        let snapshot = try tiny.snapshot(on: try #require(tiny.controlChangeDates.first))
        #expect(snapshot.overlapKm2 > 0.0005 && snapshot.overlapKm2 < 0.01)
        _ = try tiny.overlaps(on: snapshot.date)
    }
}
