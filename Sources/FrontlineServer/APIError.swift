import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Hummingbird

/// An error a client caused or must be told about, answered as a small JSON body:
/// `{"error": "…", "status": 404}`. The one place where errors become HTTP statuses: every error a
/// handler or the library throws goes through ``init(_:)`` (by ``ErrorMappingMiddleware``).
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

    /// The answer to any error: a request the library cannot answer is the client's (4xx); bad
    /// data, a failed drawing or anything unforeseen is the server's (500), with the library's words.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as MapRequestError:
            switch error.kind {
            case .malformed, .inconsistent: self.init(.badRequest, error.message)
            case .unknownStyle, .unknownPlace: self.init(.notFound, error.message)
            }
        case let error as DateOutOfRange:
            self.init(.notFound, error.description)
        case let error as HTTPError:
            self.init(error.status, error.body ?? error.status.reasonPhrase)
        case let error as DataUnavailable:
            self.init(.serviceUnavailable, error.description)
        case let error as DatasetError:
            self.init(.internalServerError, "the data cannot answer this: " + error.issues.map(\.description).joined(separator: "; "))
        case let error as GeometryError:
            self.init(.internalServerError, "the geometry library failed on this data: \(error)")
        case let error as StyleError:
            self.init(.internalServerError, "the style cannot be used: \(error)")
        case let error as RenderError:
            self.init(.internalServerError, "drawing failed: \(error)")
        default:
            self.init(.internalServerError, "internal error: \(error)")
        }
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.accessControlAllowOrigin] = "*"
        headers[.cacheControl] = "no-store"
        // The store could not answer now (it changed, or cannot be reached): a retry soon may.
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
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

/// Turns every error thrown further in into an ``APIError``, so that each becomes the same JSON
/// answer with the status ``APIError/init(_:)`` gives it; the router's own 404 names the path.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw APIError(.notFound, "nothing at \(request.uri.path)")
        } catch {
            throw APIError(error)
        }
    }
}
