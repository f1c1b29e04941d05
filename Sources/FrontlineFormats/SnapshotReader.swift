import Foundation
import FrontlineData
import FrontlineGeometry

/// Snapshots of control read from GIS files for `frontline import`: each file (or each date in a
/// file, with a date property) is the ground each party held on one date.
public struct SnapshotReader: Sendable {
    /// Where each snapshot's date comes from.
    public enum DateRule: Sendable {
        /// The same date for every file.
        case fixed(CalendarDate)
        /// Each feature's property of this name (YYYY-MM-DD).
        case property(String)
        /// The first `YYYY-MM-DD` in each file's name.
        case fileName
    }

    /// Where the date comes from.
    public var dateRule: DateRule
    /// The property naming the party (`controlled_by` by default).
    public var partyProperty: String
    /// The parties of the dataset; `none` is accepted too.
    public var parties: Set<String>

    /// A reader matching `partyProperty` to `parties`.
    public init(dateRule: DateRule, partyProperty: String = "controlled_by", parties: Set<String>) {
        self.dateRule = dateRule
        self.partyProperty = partyProperty
        self.parties = parties
    }

    /// The readable files of the paths: a folder's vector files in name order (hidden files and
    /// sidecars such as `.dbf` left out), a file as it is.
    public static func files(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SnapshotReadError("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            files += names.filter { !$0.hasPrefix(".") && (try? VectorFormat(path: $0)) != nil }
                .map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }

    /// The pieces of every snapshot in `files`, by date (sorted). Throws ``SnapshotReadError``
    /// naming the file and feature of a bad date or an unknown party.
    public func read(_ files: [String]) throws -> [(date: CalendarDate, pieces: [SnapshotPiece])] {
        var byDate: [CalendarDate: [SnapshotPiece]] = [:]
        for file in files {
            let name = (file as NSString).lastPathComponent
            var fileDate: CalendarDate?
            switch dateRule {
            case .fixed(let date): fileDate = date
            case .fileName:
                fileDate = Self.firstDate(in: name)
            case .property: break
            }
            let (layers, _) = try VectorReader.read(file)
            if case .fileName = dateRule, fileDate == nil {
                // No date in the name: a file of dated polygons (valid_from/valid_to, the legacy
                // control.geojson) is a snapshot on each date it names.
                let features = layers.flatMap(\.features)
                let dated = features.filter { f in f.properties.contains { $0.0 == "valid_from" } }.count
                guard dated > 0 else {
                    throw SnapshotReadError("\(file): no YYYY-MM-DD in the file's name; give --date or --date-property")
                }
                if let undated = features.firstIndex(where: { f in !f.properties.contains { $0.0 == "valid_from" } }) {
                    throw SnapshotReadError("\(file): feature \(undated) has no valid_from, while others have: a file of dated polygons needs valid_from on every feature")
                }
                for (date, pieces) in try datedPieces(layers, file: file) { byDate[date, default: []] += pieces }
                continue
            }
            for layer in layers {
                let where_ = layers.count > 1 ? "\(file), layer \(layer.name)" : file
                for (index, feature) in layer.features.enumerated() {
                    let origin = "\(where_): feature \(index)"
                    guard let geometry = feature.geometry, !geometry.isEmpty else { continue }
                    guard geometry.kind.isPolygonal || geometry.kind == .geometryCollection else {
                        throw SnapshotReadError("\(origin): a \(geometry.kind.rawValue); a snapshot's features must be polygons")
                    }
                    let polygons = Geometry.multiPolygon(geometry.kind == .geometryCollection ? geometry.members.flatMap(\.polygons) : geometry.polygons)
                    guard !polygons.isEmpty else { continue }
                    let properties = Dictionary(feature.properties, uniquingKeysWith: { a, _ in a })
                    let party = try self.party(in: properties, origin: origin)
                    var date = fileDate
                    if case .property(let key) = dateRule {
                        guard let d = Self.date(properties[key]) else {
                            throw SnapshotReadError("\(origin): \(key) must be a date YYYY-MM-DD, found \(properties[key].map { Self.text($0) ?? $0.typeDescription } ?? "nothing")")
                        }
                        date = d
                    }
                    guard let date else { continue }
                    byDate[date, default: []].append(SnapshotPiece(partyID: party, geometry: polygons, origin: origin))
                }
            }
        }
        return byDate.keys.sorted().map { ($0, byDate[$0]!) }
    }

    /// The snapshots of a file of dated polygons: on each `valid_from` and `valid_to` date, the
    /// features holding then (`valid_from <= D < valid_to`).
    private func datedPieces(_ layers: [VectorLayer], file: String) throws -> [CalendarDate: [SnapshotPiece]] {
        var features: [(period: (CalendarDate, CalendarDate?), piece: SnapshotPiece)] = []
        for layer in layers {
            for (index, feature) in layer.features.enumerated() {
                let origin = "\(file): feature \(index)"
                let properties = Dictionary(feature.properties, uniquingKeysWith: { a, _ in a })
                guard let geometry = feature.geometry, geometry.kind.isPolygonal, !geometry.isEmpty else { continue }
                guard let from = Self.date(properties["valid_from"]) else {
                    throw SnapshotReadError("\(origin): valid_from must be a date YYYY-MM-DD")
                }
                let to = Self.date(properties["valid_to"])
                let party = try self.party(in: properties, origin: origin)
                features.append(((from, to), SnapshotPiece(partyID: party, geometry: geometry, origin: origin)))
            }
        }
        let dates = Set(features.flatMap { [$0.period.0] + ($0.period.1.map { [$0] } ?? []) })
        var result: [CalendarDate: [SnapshotPiece]] = [:]
        for date in dates {
            result[date] = features.filter { $0.period.0 <= date && ($0.period.1.map { date < $0 } ?? true) }.map(\.piece)
        }
        return result
    }

    /// The feature's party (`partyProperty`), a party of the dataset or `none`.
    private func party(in properties: [String: JSONValue], origin: String) throws -> String {
        guard let value = properties[partyProperty], let party = Self.text(value) else {
            throw SnapshotReadError("\(origin): no \(partyProperty) property (the party holding the ground; --party-property names another)")
        }
        guard party == Party.none.id || parties.contains(party) else {
            throw SnapshotReadError("\(origin): \(partyProperty) \"\(party)\" is not a party of dataset.json (parties: \(parties.sorted().joined(separator: ", ")), or none)")
        }
        return party
    }

    /// A date property: `YYYY-MM-DD`, or a date-time whose first ten characters are one.
    static func date(_ value: JSONValue?) -> CalendarDate? {
        value.flatMap(text).flatMap { CalendarDate(String($0.prefix(10))) }
    }

    /// The first `YYYY-MM-DD` (a real date) in a file name.
    static func firstDate(in name: String) -> CalendarDate? {
        let bytes = Array(name.utf8)
        guard bytes.count >= 10 else { return nil }
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        for start in 0...(bytes.count - 10) {
            let s = bytes[start..<(start + 10)]
            let pattern = s.enumerated().allSatisfy { k, b in k == 4 || k == 7 ? b == UInt8(ascii: "-") : digit(b) }
            if pattern, let date = CalendarDate(String(decoding: s, as: UTF8.self)) { return date }
        }
        return nil
    }

    /// A property as text: strings as they are, whole numbers without a fraction.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let n) where n == n.rounded() && abs(n) < 1e15: return String(Int64(n))
        default: return nil
        }
    }
}

/// A snapshot file cannot be imported; the message names the file and the feature.
public struct SnapshotReadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
