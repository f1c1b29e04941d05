#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and why JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in bytes) of the problem.
    public var column: Int
    /// What is wrong.
    public var message: String

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 8259 JSON parser over bytes, written for large GeoJSON files: numbers are parsed
/// without allocation and arrays of numbers are stored flat (see ``JSONValue/numbers(_:)``).
/// Two leniencies, so that the data's author hears "NaN coordinate" rather than "bad JSON":
/// the tokens `NaN`, `Infinity` and `-Infinity` (as Python's json module writes them) are read as numbers.
public struct JSONParser {
    /// Deepest nesting accepted, so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 256

    /// Parses one JSON document (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var result: Result<JSONValue, JSONParseError> = .success(.null)
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer)
            do throws(JSONParseError) {
                reader.skipWhitespace()
                let value = try reader.value(depth: 0)
                reader.skipWhitespace()
                if reader.i < buffer.count { throw reader.error("unexpected text after the end of the JSON value") }
                result = .success(value)
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

private struct Reader {
    let p: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let end = min(offset ?? i, p.count)
        var line = 1, lineStart = 0
        for k in 0..<end where p[k] == UInt8(ascii: "\n") { line += 1; lineStart = k + 1 }
        return JSONParseError(line: line, column: end - lineStart + 1, message: message)
    }

    @inline(__always) mutating func skipWhitespace() {
        while i < p.count {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    @inline(__always) func peek() -> UInt8 { i < p.count ? p[i] : 0 }

    func describeHere() -> String {
        guard i < p.count else { return "the end of the text" }
        let c = p[i]
        if c >= 0x20 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
        return "byte 0x\(String(c, radix: 16))"
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
        switch peek() {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            return .number(try number())
        default:
            throw error("expected a JSON value, found \(describeHere())")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count, memcmp(p.baseAddress! + i, word.utf8Start, n) == 0 else {
            throw error("expected '\(word)'")
        }
        i += n
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        i += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a quoted member name, found \(describeHere())") }
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after member name \"\(key)\", found \(describeHere())") }
            i += 1
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return .object(members)
            default: throw error("expected ',' or '}' in an object, found \(describeHere())")
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        let start = i
        var numbers = NumberArray()
        var leafLevel = -1
        if numberArray(level: 0, depth: depth, leafLevel: &leafLevel, into: &numbers) {
            return .numbers(numbers)
        }
        // Not (only) numbers: parse as a general array.
        i = start + 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { i += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(elements)
            default: throw error("expected ',' or ']' in an array, found \(describeHere())")
            }
        }
    }

    /// Tries to read the array at `i` as nested arrays of numbers of uniform depth. On any
    /// surprise it returns false and the caller re-reads the text as a general array.
    mutating func numberArray(level: Int, depth: Int, leafLevel: inout Int, into out: inout NumberArray) -> Bool {
        guard depth + level < JSONParser.maximumDepth else { return false }
        i += 1
        if out.counts.count <= level { out.counts.append([]) }
        var count = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            i += 1
            out.counts[level].append(0)
            return true
        }
        while true {
            skipWhitespace()
            let c = peek()
            if c == UInt8(ascii: "[") {
                if leafLevel >= 0 && level >= leafLevel { return false }
                guard numberArray(level: level + 1, depth: depth, leafLevel: &leafLevel, into: &out) else { return false }
            } else if c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "N") || c == UInt8(ascii: "I") {
                if leafLevel < 0 { leafLevel = level } else if leafLevel != level { return false }
                guard out.counts.count == level + 1 else { return false }
                guard let v = try? number() else { return false }
                out.values.append(v)
            } else {
                return false
            }
            count += 1
            skipWhitespace()
            let d = peek()
            if d == UInt8(ascii: ",") { i += 1; continue }
            if d == UInt8(ascii: "]") { i += 1; break }
            return false
        }
        out.counts[level].append(count)
        return true
    }

    mutating func number() throws(JSONParseError) -> Double {
        let start = i
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; i += 1 }
        if peek() == UInt8(ascii: "N") { try literal("NaN"); return .nan }
        if peek() == UInt8(ascii: "I") { try literal("Infinity"); return negative ? -.infinity : .infinity }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        let intStart = i
        while i < p.count, p[i] >= 0x30, p[i] <= 0x39 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] - 0x30); digits += 1 } else { exponent += 1 }
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { throw error("expected a digit in a number", at: i) }
        if intDigits > 1 && p[intStart] == 0x30 { throw error("a number cannot start with a leading zero", at: intStart) }
        if digits == 1 && mantissa == 0 { digits = 0 }
        if peek() == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < p.count, p[i] >= 0x30, p[i] <= 0x39 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] - 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                }
                i += 1
            }
            guard i > fracStart else { throw error("expected a digit after the decimal point", at: i) }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if peek() == UInt8(ascii: "+") { i += 1 } else if peek() == UInt8(ascii: "-") { expNegative = true; i += 1 }
            var e = 0
            let expStart = i
            while i < p.count, p[i] >= 0x30, p[i] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(p[i] - 0x30) }
                i += 1
            }
            guard i > expStart else { throw error("expected a digit in the exponent", at: i) }
            exponent += expNegative ? -e : e
        }
        // Exact when the mantissa fits a double's 53 bits and 10^|exponent| is exact (Clinger's fast path).
        if mantissa < (1 << 53) && digits < 19 && exponent >= -22 && exponent <= 22 {
            var v = Double(mantissa)
            v = exponent < 0 ? v / powersOfTen[-exponent] : v * powersOfTen[exponent]
            return negative ? -v : v
        }
        return slowNumber(from: start)
    }

    /// Correctly rounded conversion of the token at `start..<i` through the C library.
    func slowNumber(from start: Int) -> Double {
        var token = Array(p[start..<i])
        token.append(0)
        return token.withUnsafeBufferPointer { t in
            t.baseAddress!.withMemoryRebound(to: CChar.self, capacity: t.count) { strtod($0, nil) }
        }
    }

    mutating func string() throws(JSONParseError) -> String {
        let openQuote = i
        i += 1
        let start = i
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in a string (escape it)") }
            i += 1
        }
        guard i < p.count else { throw error("unterminated string", at: openQuote) }
        var bytes = Array(p[start..<i])
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if c < 0x20 { throw error("control character in a string (escape it)") }
            if c != UInt8(ascii: "\\") { bytes.append(c); i += 1; continue }
            i += 1
            guard i < p.count else { break }
            let e = p[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard peek() == UInt8(ascii: "\\"), i + 1 < p.count, p[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired UTF-16 surrogate in \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired UTF-16 surrogate in \\u escape")
                }
                bytes.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
            default:
                throw error("invalid escape '\\\(Character(UnicodeScalar(e)))' in a string", at: i - 2)
            }
        }
        throw error("unterminated string", at: openQuote)
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 <= p.count else { throw error("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
