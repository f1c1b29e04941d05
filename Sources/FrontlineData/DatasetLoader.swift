import Foundation
import FrontlineGeometry

extension Dataset {
    /// The files of the data contract.
    public enum File: String, CaseIterable, Sendable {
        case metadata = "dataset.json"
        case control = "control.geojson"
        case zones = "zones.geojson"
        case villages = "villages.geojson"
        case heights = "heights.geojson"
        case pipeline = "pipeline.geojson"
        case events = "events.geojson"
        case basemap = "basemap.geojson"

        var isRequired: Bool { self == .metadata || self == .control }
    }

    /// Loads and checks a dataset folder. Throws ``DatasetError`` listing every problem when any
    /// is an error; invalid polygons are repaired (GEOS make-valid) with a warning.
    /// Cross-feature checks (overlaps and gaps between parties) are ``checkControlConsistency(on:)``'s.
    /// With `requireControl` false, a folder with no control yet (no `control.geojson`, no
    /// `control/`) loads with none: a record's first import goes there.
    public static func load(from directory: URL, requireControl: Bool = true) throws(DatasetError) -> Dataset {
        var loader = DatasetLoader()
        loader.requireControl = requireControl
        return try loader.load(from: directory)
    }

    /// A dataset handed over by a store (a database) rather than read from files: `metadata` is
    /// `dataset.json`'s JSON, `layers` each layer's features in order, `record` the record of
    /// control, whole or answered by query. Checked as a folder is; throws ``DatasetError``
    /// listing every error.
    public static func load(location: String, metadata: JSONValue, layers: [Dataset.File: [FeatureRow]],
                            record: StoredRecord?) throws(DatasetError) -> Dataset {
        var loader = DatasetLoader()
        var contents = layers.mapValues { LayerContent.rows($0) }
        contents[.metadata] = .json(metadata)
        var dataset = try loader.build(location: location, contents) { loader, parties in
            guard let record, let parties else { return nil }
            for party in record.partyIDs.subtracting(parties).subtracting([Party.none.id]).sorted() {
                loader.issues.append(ValidationIssue(.error, .unknownParty, file: "control", property: "controlled_by",
                                                     "the record names \"\(party)\", which is not a party of dataset.json"))
            }
            if case .whole(let whole) = record { return whole }
            return nil
        }
        if case .queried(let queried) = record { dataset.queriedRecord = queried }
        return dataset
    }

    /// A record as a store hands it over.
    public enum StoredRecord: Sendable {
        /// Read whole.
        case whole(ControlRecord)
        /// Answered question by question.
        case queried(any QueriedRecord)

        /// The parties its base and changes name.
        var partyIDs: Set<String> {
            switch self {
            case .whole(let record): Set(record.base.map(\.partyID) + record.changes.map(\.to))
            case .queried(let record): record.partyIDs
            }
        }
    }
}

/// One feature as a store (a database) hands it over: its GeoJSON properties and its geometry.
public struct FeatureRow: Sendable {
    /// The feature's properties, as in the layer's file.
    public var properties: [String: JSONValue]
    /// Its geometry, in longitude/latitude.
    public var geometry: Geometry

    /// A feature.
    public init(properties: [String: JSONValue], geometry: Geometry) {
        self.properties = properties
        self.geometry = geometry
    }
}

/// A layer as read: a file's parsed JSON (`dataset.json`, a FeatureCollection), or a store's rows.
enum LayerContent: Sendable {
    case json(JSONValue)
    case rows([FeatureRow])
}

/// Reads the files of a dataset folder into a ``Dataset``, collecting issues as it goes.
struct DatasetLoader {
    var issues: [ValidationIssue] = []
    var requireControl = true

    /// A file's parsed JSON, or nil (with an issue recorded when that is an error).
    enum FileContent: Sendable {
        case absent
        case problem(ValidationIssue)
        case json(JSONValue)
    }

    mutating func load(from directory: URL) throws(DatasetError) -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError(issues: [ValidationIssue(.error, .missingFile, file: Dataset.File.metadata.rawValue,
                                                        "there is no dataset folder at \(directory.path)")])
        }
        // A folder holds its control either as a record (control/) or as one control.geojson.
        let hasRecord = RecordLayout(dataset: directory).exists
        let controlFile = directory.appendingPathComponent(Dataset.File.control.rawValue).path
        let skipControl = hasRecord || (!requireControl && !FileManager.default.fileExists(atPath: controlFile))
        let files = Dataset.File.allCases.filter { !(skipControl && $0 == .control) }
        if hasRecord, FileManager.default.fileExists(atPath: controlFile) {
            issues.append(ValidationIssue(.error, .badValue, file: Dataset.File.control.rawValue,
                                          "the folder holds a record (control/) and a control.geojson: keep one (`frontline import control.geojson` converts it)"))
        }
        // Parse the files in parallel: control.geojson can be tens of megabytes.
        let contents = (try? GeometryWorkers.map(files) { _, file in DatasetLoader.read(file, in: directory) })
            ?? files.map { DatasetLoader.read($0, in: directory) }
        var layers: [Dataset.File: LayerContent] = [:]
        for (file, content) in zip(files, contents) {
            switch content {
            case .absent: break
            case .problem(let issue): issues.append(issue)
            case .json(let value): layers[file] = .json(value)
            }
        }
        return try build(location: directory.path, layers) { loader, parties in hasRecord ? loader.readRecord(in: directory, parties: parties) : nil }
    }

    /// The dataset of `layers` (each file's JSON, or a store's rows) and of the record `record`
    /// reads, checked; throws when there are errors. `location` names where it was read from.
    mutating func build(location: String, _ layers: [Dataset.File: LayerContent],
                        record readRecord: (inout DatasetLoader, Set<String>?) -> ControlRecord?) throws(DatasetError) -> Dataset {
        let metadata: DatasetMetadata?
        switch layers[.metadata] {
        case .json(let value)?: metadata = readMetadata(value)
        case .rows?, nil: metadata = nil
        }
        let partyIDs = metadata.map { Set($0.parties.map(\.id)) }

        var control = features(layers[.control], .control, kinds: [.polygon, .multiPolygon]) { (r: inout FeatureReader, g: Geometry) -> ControlArea? in
            let party = r.string("controlled_by")
            if let party, let partyIDs, !partyIDs.contains(party) {
                r.error(.unknownParty, "controlled_by", "\"\(party)\" is not a party of dataset.json (parties: \(partyIDs.sorted().joined(separator: ", ")))")
            }
            let period = r.period()
            let source = r.optionalString("source")
            guard let party, let period else { return nil }
            return ControlArea(index: r.index, partyID: party, period: period, source: source, geometry: g)
        }
        let record = readRecord(&self, partyIDs)
        var zones = features(layers[.zones], .zones, kinds: [.polygon, .multiPolygon]) { (r: inout FeatureReader, g: Geometry) -> Zone? in
            let name = r.string("name"), kind = r.string("kind"), period = r.period()
            guard let name, let kind, let period else { return nil }
            return Zone(index: r.index, name: name, kind: kind, period: period, geometry: g, properties: r.properties)
        }
        let villages = places(layers[.villages], .villages)
        let heights = places(layers[.heights], .heights)
        let pipeline = features(layers[.pipeline], .pipeline, kinds: [.lineString, .multiLineString]) { (r: inout FeatureReader, g: Geometry) -> PipelineRoute? in
            let name = r.string("name")
            let events = DatasetLoader.readStatusEvents(&r)
            guard let name, let events else { return nil }
            return PipelineRoute(index: r.index, name: name, geometry: g, statusEvents: events, properties: r.properties)
        }
        let events = features(layers[.events], .events, kinds: nil) { (r: inout FeatureReader, g: Geometry) -> MapEvent? in
            let date = r.date("date"), kind = r.string("kind"), title = r.string("title"), source = r.optionalString("source")
            guard let date, let kind, let title else { return nil }
            return MapEvent(index: r.index, date: date, kind: kind, title: title, source: source, geometry: g, properties: r.properties)
        }
        let basemap = features(layers[.basemap], .basemap, kinds: nil) { (r: inout FeatureReader, g: Geometry) -> BasemapFeature? in
            guard let featureClass = r.string("class") else { return nil }
            return BasemapFeature(index: r.index, featureClass: featureClass, geometry: g, properties: r.properties)
        }

        if let metadata {
            checkDates(control.map { ($0.index, $0.period) }, .control, metadata)
            checkDates(zones.map { ($0.index, $0.period) }, .zones, metadata)
        }

        repairInvalid(&control, file: .control)
        repairInvalid(&zones, file: .zones)

        let errors = issues.filter { $0.severity == .error }
        guard errors.isEmpty, let metadata else {
            throw DatasetError(issues: issues.sorted { ($0.severity, $0.file) < ($1.severity, $1.file) })
        }
        return Dataset(location: location, metadata: metadata, control: control, record: record, zones: zones, villages: villages,
                       heights: heights, pipeline: pipeline, events: events, basemap: basemap, warnings: issues)
    }

    // MARK: Files

    static func read(_ file: Dataset.File, in directory: URL) -> FileContent {
        let url = directory.appendingPathComponent(file.rawValue)
        let name = file.rawValue
        guard FileManager.default.fileExists(atPath: url.path) else {
            guard file.isRequired else { return .absent }
            return .problem(ValidationIssue(.error, .missingFile, file: name, "the file is required but missing"))
        }
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            return .problem(ValidationIssue(.error, .unreadableFile, file: name, "cannot read the file: \(error.localizedDescription)"))
        }
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return .problem(ValidationIssue(.error, .emptyFile, file: name, "the file is empty; it must hold \(file == .metadata ? "a JSON object" : "a GeoJSON FeatureCollection")"))
        }
        do {
            return .json(try JSONParser.parse(bytes))
        } catch {
            return .problem(ValidationIssue(.error, .malformedJSON, file: name, "not valid JSON: \(error)"))
        }
    }

    // MARK: Features

    /// Decodes every feature of a FeatureCollection with `decode`, checking its geometry type.
    mutating func features<T>(_ content: LayerContent?, _ file: Dataset.File, kinds: Set<Geometry.Kind>?,
                              _ decode: (inout FeatureReader, Geometry) -> T?) -> [T] {
        switch content {
        case nil: return []
        case .json(let json)?: return features(json, named: file.rawValue, kinds: kinds, decode)
        case .rows(let rows)?:
            var result: [T] = []
            result.reserveCapacity(rows.count)
            for (index, row) in rows.enumerated() {
                var reader = FeatureReader(file: file.rawValue, index: index, properties: row.properties)
                let geometry = checkGeometry(row.geometry, kinds: kinds, &reader)
                let value = decode(&reader, geometry ?? .empty)
                issues += reader.issues
                if let value, geometry != nil, !reader.hasErrors { result.append(value) }
            }
            return result
        }
    }

    /// ``features(_:_:kinds:_:)`` for a file named by its path in the folder.
    mutating func features<T>(_ json: JSONValue?, named name: String, kinds: Set<Geometry.Kind>?,
                              _ decode: (inout FeatureReader, Geometry) -> T?) -> [T] {
        guard let json else { return [] }
        guard json["type"]?.stringValue == "FeatureCollection", let features = json["features"]?.arrayValue else {
            let found = json["type"]?.stringValue.map { "a \($0)" } ?? json.typeDescription
            issues.append(ValidationIssue(.error, .notFeatureCollection, file: name,
                                          "expected a GeoJSON FeatureCollection with a \"features\" array, found \(found)"))
            return []
        }
        var result: [T] = []
        result.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            guard case .object(let members) = feature, members["type"]?.stringValue == "Feature" else {
                issues.append(ValidationIssue(.error, .invalidFeature, file: name, feature: index,
                                              "expected an object with \"type\": \"Feature\", found \(feature.typeDescription)"))
                continue
            }
            var properties: [String: JSONValue] = [:]
            if let p = members["properties"], !p.isNull {
                guard let object = p.objectValue else {
                    issues.append(ValidationIssue(.error, .wrongType, file: name, feature: index, property: "properties",
                                                  "expected an object, found \(p.typeDescription)"))
                    continue
                }
                properties = object
            }
            var reader = FeatureReader(file: name, index: index, properties: properties)
            let geometry = readGeometry(members["geometry"], kinds: kinds, &reader)
            let value = decode(&reader, geometry ?? .empty)
            issues += reader.issues
            if let value, geometry != nil, !reader.hasErrors { result.append(value) }
        }
        return result
    }

    func readGeometry(_ json: JSONValue?, kinds: Set<Geometry.Kind>?, _ r: inout FeatureReader) -> Geometry? {
        guard let json, !json.isNull else {
            r.error(.invalidGeometry, "geometry", "the feature has no geometry")
            return nil
        }
        let geometry: Geometry
        do {
            geometry = try Geometry(geoJSON: json)
        } catch {
            let code: ValidationIssue.Code
            switch error.code {
            case .invalidGeometry: code = .invalidGeometry
            case .unclosedRing: code = .unclosedRing
            case .tooFewPositions: code = .tooFewPositions
            case .invalidCoordinate: code = .invalidCoordinate
            }
            r.error(code, "geometry", error.message)
            return nil
        }
        return checkGeometry(geometry, kinds: kinds, &r)
    }

    /// `geometry` when it is of one of `kinds` (any when nil) and not empty; else nil, with why in `r`.
    func checkGeometry(_ geometry: Geometry, kinds: Set<Geometry.Kind>?, _ r: inout FeatureReader) -> Geometry? {
        if let kinds, !kinds.contains(geometry.kind) {
            let allowed = kinds.map(\.rawValue).sorted().joined(separator: " or ")
            r.error(.wrongGeometryType, "geometry", "a \(geometry.kind.rawValue) where \(allowed) is expected")
            return nil
        }
        if geometry.isEmpty {
            r.error(.invalidGeometry, "geometry", "the \(geometry.kind.rawValue) is empty")
            return nil
        }
        return geometry
    }

    mutating func places(_ content: LayerContent?, _ file: Dataset.File) -> [Place] {
        var seen: [String: Int] = [:]
        return features(content, file, kinds: [.point]) { (r: inout FeatureReader, g: Geometry) -> Place? in
            var id: String? = nil
            if let value = r.properties["id"], !value.isNull {
                switch value {
                case .string(let s) where !s.isEmpty: id = s
                case .number(let n) where n == n.rounded() && abs(n) < 1e15: id = String(Int64(n))
                default: r.error(.wrongType, "id", "expected a string (or integer) id, found \(value.typeDescription)")
                }
            } else {
                r.error(.missingProperty, "id", "the property is missing; every \(file == .villages ? "village" : "height") needs a unique id")
            }
            if let id {
                if let first = seen[id] {
                    r.error(.duplicateID, "id", "id \"\(id)\" is already used by feature \(first)")
                } else {
                    seen[id] = r.index
                }
            }
            let name = r.string("name")
            var names: [String: String] = [:]
            if let value = r.properties["names"], !value.isNull {
                if let object = value.objectValue {
                    for (language, v) in object {
                        if let s = v.stringValue { names[language] = s } else {
                            r.error(.wrongType, "names", "names.\(language) must be a string, found \(v.typeDescription)")
                        }
                    }
                } else {
                    r.error(.wrongType, "names", "expected an object of names by language, found \(value.typeDescription)")
                }
            }
            var population: Int? = nil
            if let n = r.optionalNumber("population") {
                if n >= 0, n < 1e12, n == n.rounded() { population = Int(n) } else {
                    r.error(.badValue, "population", "expected a whole number of people (0 or more), found \(n)")
                }
            }
            if let place = r.optionalString("place"), !Place.ranks.contains(place) {
                r.error(.badValue, "place", "expected one of \(Place.ranks.joined(separator: ", ")), found \"\(place)\"")
            }
            if let value = r.properties["capital"], !value.isNull, !(value == .bool(true) || value == .bool(false)) {
                r.error(.wrongType, "capital", "expected true or false, found \(value.typeDescription)")
            }
            let elevation = r.optionalNumber("elevation_m")
            // The geometry is empty when it was refused (its issue is already recorded).
            guard let id, let name, g.positionCount > 0 else { return nil }
            let p = g.position(0)
            return Place(index: r.index, id: id, name: name, names: names, lon: p.x, lat: p.y,
                         population: population, elevation: elevation, properties: r.properties)
        }
    }

    static func readStatusEvents(_ r: inout FeatureReader) -> [PipelineStatusEvent]? {
        guard let value = r.properties["status_events"], !value.isNull else { return [] }
        guard let list = value.arrayValue else {
            r.error(.wrongType, "status_events", "expected an array of {date, status, location}, found \(value.typeDescription)")
            return nil
        }
        var events: [PipelineStatusEvent] = []
        for (k, item) in list.enumerated() {
            let field = "status_events[\(k)]"
            guard let dateText = item["date"]?.stringValue, let date = CalendarDate(dateText) else {
                r.error(.badDate, "\(field).date", "expected a date YYYY-MM-DD, found \(item["date"].map { $0.stringValue.map { "\"\($0)\"" } ?? $0.typeDescription } ?? "nothing")")
                return nil
            }
            guard let statusText = item["status"]?.stringValue, let status = PipelineStatusEvent.Status(rawValue: statusText) else {
                r.error(.badValue, "\(field).status", "expected \"flowing\" or \"cut\"")
                return nil
            }
            var location: [Double]? = nil
            if let l = item["location"], !l.isNull {
                guard let numbers = l.arrayValue?.compactMap(\.numberValue), numbers.count == 2,
                      (-180...180).contains(numbers[0]), (-90...90).contains(numbers[1]) else {
                    r.error(.invalidCoordinate, "\(field).location", "expected [longitude, latitude]")
                    return nil
                }
                location = numbers
            }
            events.append(PipelineStatusEvent(date: date, status: status, location: location))
        }
        guard zip(events, events.dropFirst()).allSatisfy({ $0.date <= $1.date }) else {
            r.error(.dateOrder, "status_events", "events must be in date order")
            return nil
        }
        return events
    }

    // MARK: Checks across features

    mutating func checkDates(_ periods: [(Int, ValidityPeriod)], _ file: Dataset.File, _ metadata: DatasetMetadata) {
        let extent = metadata.temporalExtent
        for (index, period) in periods where period.from > extent.upperBound || (period.to.map { $0 <= extent.lowerBound } ?? false) {
            issues.append(ValidationIssue(.warning, .dateOutsideExtent, file: file.rawValue, feature: index, property: "valid_from",
                                          "the feature never holds within the temporal extent \(extent.lowerBound) – \(extent.upperBound)"))
        }
    }

    /// Checks every polygon with GEOS and repairs the invalid ones with make-valid, in parallel.
    mutating func repairInvalid<T: PolygonFeature>(_ features: inout [T], file: Dataset.File) {
        repairInvalid(&features, named: file.rawValue)
    }

    /// ``repairInvalid(_:file:)`` for a file named by its path in the folder.
    mutating func repairInvalid<T: PolygonFeature>(_ features: inout [T], named name: String) {
        let geometries = features.map(\.geometry)
        let outcomes = (try? GeometryWorkers.map(geometries) { context, g -> Repair in
            do {
                let owned = try context.make(g)
                if try owned.isValid() { return .valid }
                let reason = try owned.validityReason()
                let fixed = try owned.makeValid().polygonalPart()
                return .repaired(fixed, reason)
            } catch {
                return .failed("\(error)")
            }
        }) ?? geometries.map { _ in Repair.failed("cannot start GEOS") }
        for (k, outcome) in outcomes.enumerated() {
            switch outcome {
            case .valid: break
            case .repaired(let g, let reason):
                features[k].geometry = g
                issues.append(ValidationIssue(.warning, .invalidRingRepaired, file: name, feature: features[k].index,
                                              property: "geometry", "invalid polygon (\(reason)) repaired with make-valid"))
            case .failed(let message):
                issues.append(ValidationIssue(.error, .invalidGeometry, file: name, feature: features[k].index,
                                              property: "geometry", "cannot check or repair the polygon: \(message)"))
            }
        }
    }

    enum Repair: Sendable {
        case valid
        case repaired(Geometry, String)
        case failed(String)
    }
}

/// A feature whose geometry is a polygon to check and repair.
protocol PolygonFeature {
    var index: Int { get }
    var geometry: Geometry { get set }
}

extension ControlArea: PolygonFeature {}
extension Zone: PolygonFeature {}
