/// Gathers the warnings found while loading a style; in strict mode the first one is thrown.
struct IssueCollector {
    let strict: Bool
    private(set) var warnings: [StyleIssue] = []

    init(strict: Bool) { self.strict = strict }

    /// Records that something is unsupported and left out, or throws it as an error when strict.
    mutating func warn(_ location: StyleLocation, _ message: String) throws(StyleError) {
        let issue = StyleIssue(location, message)
        if strict { throw StyleError(issue) }
        warnings.append(issue)
    }
}
