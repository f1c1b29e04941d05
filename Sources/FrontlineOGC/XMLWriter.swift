/// Writes an XML document element by element, escaping text and attribute values.
struct XMLWriter {
    private(set) var bytes: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    private var open: [String] = []

    /// Starts an element that later elements go into, until ``close()`` (attributes sorted by name).
    mutating func open(_ name: String, _ attributes: [String: String] = [:]) {
        write(indent + "<" + name + Self.attributes(attributes.sorted { $0.key < $1.key }) + ">\n")
        open.append(name)
    }

    /// Ends the innermost open element.
    mutating func close() {
        let name = open.removeLast()
        write(indent + "</" + name + ">\n")
    }

    /// An element with text (or none: `<name/>`).
    mutating func element(_ name: String, _ text: String? = nil, _ attributes: [String: String] = [:]) {
        let head = indent + "<" + name + Self.attributes(attributes.sorted { $0.key < $1.key })
        write(text.map { head + ">" + Self.escape($0) + "</" + name + ">\n" } ?? head + "/>\n")
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    private mutating func write(_ s: String) { bytes += s.utf8 }

    private static func attributes<S: Sequence>(_ pairs: S) -> String where S.Element == (key: String, value: String) {
        pairs.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
