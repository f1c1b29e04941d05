import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses a document with Foundation's XML parser and keeps the root element.
final class XMLDocumentCheck: NSObject, XMLParserDelegate {
    private let parser: XMLParser
    private(set) var root: String?
    private(set) var rootAttributes: [String: String] = [:]
    private(set) var error: String?

    init(_ data: Data) {
        parser = XMLParser(data: data)
        super.init()
        parser.delegate = self
    }

    func parse() -> Bool {
        let ok = parser.parse()
        if !ok { error = parser.parserError.map { "\($0)" } ?? "unknown" }
        return ok
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name; rootAttributes = attributes }
    }
}
