/// The program's version, as `frontline --version` and the server's `/health` say it.
public enum FrontlineVersion {
    /// Semantic version of this build of Frontline.
    public static let current = "0.5.0"
}
