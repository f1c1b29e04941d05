/// The languages maps can write place names in (from the features' `names`, falling back to
/// `name`): one list for the CLI's `--lang` and the tiles' `?lang=`.
public enum LabelLanguage {
    /// `en` (the plain names), `hy` (Armenian script), `az` (Azerbaijani Latin), `ru` (Cyrillic).
    public static let codes = ["en", "hy", "az", "ru"]

    /// The language a request asks for: nil for the plain names (none asked, or `en`); throws a
    /// malformed-request error naming the codes on offer for anything else.
    public static func parse(_ code: String?) throws(MapRequestError) -> String? {
        guard let code, code != "en" else { return nil }
        guard codes.contains(code) else {
            throw MapRequestError(.malformed, "lang must be one of \(codes.joined(separator: ", ")) (got '\(code)')")
        }
        return code
    }
}
