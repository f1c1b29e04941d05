import Foundation
import Hummingbird

/// An error a client caused or must be told about, answered as a small JSON body:
/// `{"error": "…", "status": 404}`. The one place where errors become HTTP statuses.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// What went wrong, for the person reading it.
    public let message: String

    /// Makes an error.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.accessControlAllowOrigin] = "*"
        headers[.cacheControl] = "no-store"
        let body = "{\"error\":\(APIError.quote(message)),\"status\":\(status.code)}\n"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
