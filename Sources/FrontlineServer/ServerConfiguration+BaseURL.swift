import Hummingbird

extension ServerConfiguration {
    /// Where clients reach this server, without a trailing `/`: `--public-url`, else the host the
    /// request named, else the address listened on.
    func baseURL(for request: Request) -> String {
        let base = publicURL ?? "http://\(request.head.authority ?? "\(host):\(port)")"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }
}
