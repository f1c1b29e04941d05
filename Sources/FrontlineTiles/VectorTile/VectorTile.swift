/// A Mapbox Vector Tile (specification 2.1): named layers of features whose geometry is in integer
/// tile coordinates (0 to `extent` across the tile, y down) and whose properties are key/value
/// indices into the layer's own tables. ``encoded()`` gives the protobuf bytes web maps read.
///
/// Encoded by hand rather than with apple/swift-protobuf: the format is four small messages (Tile,
/// Layer, Feature, Value) of which Frontline only writes, using three wire types (varint, 64-bit,
/// length-delimited). The writer below is a few dozen lines, checked against two independent
/// decoders in the tests (GDAL's MVT driver and the `mapbox-vector-tile` package); the library would
/// add a dependency compiled in every build and CI run, a generated file to keep in step with
/// `vector_tile.proto`, and a copy of every feature into message objects before serialising.
public struct VectorTile: Sendable {
    /// The layers, in the order they are written (and drawn, by clients that do not choose).
    public var layers: [Layer] = []

    /// An empty tile.
    public init() {}

    /// The protobuf bytes (`Tile.layers` = 3); layers without features are left out, as the
    /// specification asks that a layer hold at least one.
    public func encoded() -> [UInt8] {
        var tile = ProtobufWriter()
        for layer in layers where layer.featureCount > 0 {
            tile.message(3, layer.encoded())
        }
        return tile.bytes
    }
}

extension VectorTile {
    /// A property value: the specification's `Value` message holds exactly one of these.
    public enum Value: Sendable, Hashable {
        case string(String)
        case double(Double)
        case int(Int64)
        case bool(Bool)
    }

    /// `Feature.type`.
    public enum GeometryType: UInt64, Sendable {
        case point = 1, lineString = 2, polygon = 3
    }

    /// One layer being filled: its features, already encoded, and the key and value tables their
    /// tags point into (each key and value stored once per layer).
    public struct Layer: Sendable {
        /// The layer's name (`Layer.name`), what styles call the source-layer.
        public let name: String
        /// Tile coordinates across the tile (`Layer.extent`).
        public let extent: Int
        /// Features added so far.
        public private(set) var featureCount = 0

        private var keys: [String] = []
        private var keyIndex: [String: UInt32] = [:]
        private var values: [Value] = []
        private var valueIndex: [Value: UInt32] = [:]
        private var features = ProtobufWriter()

        /// An empty layer.
        public init(name: String, extent: Int = 4096) {
            self.name = name
            self.extent = extent
        }

        /// Adds a feature whose geometry is already a command stream (``VectorTile/Geometry``).
        public mutating func add(_ geometry: Geometry, properties: [(key: String, value: Value)]) {
            var tags: [UInt32] = []
            tags.reserveCapacity(2 * properties.count)
            for (key, value) in properties {
                tags.append(Layer.index(of: key, in: &keys, &keyIndex))
                tags.append(Layer.index(of: value, in: &values, &valueIndex))
            }
            var feature = ProtobufWriter()
            feature.packed(2, tags)
            feature.varint(3, geometry.type.rawValue)
            feature.packed(4, geometry.commands)
            features.message(2, feature.bytes)
            featureCount += 1
        }

        private static func index<T: Hashable>(of item: T, in table: inout [T], _ index: inout [T: UInt32]) -> UInt32 {
            if let i = index[item] { return i }
            let i = UInt32(table.count)
            table.append(item)
            index[item] = i
            return i
        }

        /// `Layer`: version 2 (field 15), name (1), features (2), keys (3), values (4), extent (5).
        func encoded() -> [UInt8] {
            var layer = ProtobufWriter()
            layer.varint(15, 2)
            layer.string(1, name)
            layer.bytes += features.bytes
            for key in keys { layer.string(3, key) }
            for value in values {
                var message = ProtobufWriter()
                switch value {
                case .string(let s): message.string(1, s)
                case .double(let d): message.fixed64(3, d.bitPattern)
                // sint64 (zigzag) keeps small negative numbers short; others are plain uint64.
                case .int(let n) where n < 0: message.varint(6, UInt64(bitPattern: (n << 1) ^ (n >> 63)))
                case .int(let n): message.varint(5, UInt64(n))
                case .bool(let b): message.varint(7, b ? 1 : 0)
                }
                layer.message(4, message.bytes)
            }
            layer.varint(5, UInt64(extent))
            return layer.bytes
        }
    }
}

/// The few protobuf encodings a vector tile needs: a field's key is `number << 3 | wire type`.
struct ProtobufWriter: Sendable {
    var bytes: [UInt8] = []

    /// A base-128 varint, low groups first.
    mutating func raw(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Wire type 0.
    mutating func varint(_ field: Int, _ value: UInt64) {
        raw(UInt64(field << 3))
        raw(value)
    }

    /// Wire type 1, little-endian.
    mutating func fixed64(_ field: Int, _ value: UInt64) {
        raw(UInt64(field << 3 | 1))
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Wire type 2: an embedded message or bytes, preceded by their length.
    mutating func message(_ field: Int, _ body: [UInt8]) {
        raw(UInt64(field << 3 | 2))
        raw(UInt64(body.count))
        bytes += body
    }

    /// Wire type 2, UTF-8.
    mutating func string(_ field: Int, _ text: String) {
        message(field, Array(text.utf8))
    }

    /// A packed repeated `uint32` (wire type 2 around varints); nothing when empty.
    mutating func packed(_ field: Int, _ values: [UInt32]) {
        guard !values.isEmpty else { return }
        var body = ProtobufWriter()
        for v in values { body.raw(UInt64(v)) }
        message(field, body.bytes)
    }
}
