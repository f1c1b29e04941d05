import Foundation

extension Color {
    /// A colour from CSS text as MapLibre styles write it: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`,
    /// `rgb()`, `rgba()`, `hsl()`, `hsla()` (comma or space separated, `/ alpha` allowed), a CSS named
    /// colour or `transparent`; case is ignored. Nil when the text is not a colour.
    public init?(css text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "transparent" { self = .transparent; return }
        if let rgb = cssNamedColors[s] {
            self.init(r: Int(rgb >> 16), g: Int((rgb >> 8) & 0xFF), b: Int(rgb & 0xFF))
            return
        }
        if s.hasPrefix("#") {
            guard let color = Color.hex(s.dropFirst()) else { return nil }
            self = color
            return
        }
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else { return nil }
        let function = s[..<open].trimmingCharacters(in: .whitespaces)
        let inside = s[s.index(after: open)..<s.index(before: s.endIndex)]
        guard let arguments = Color.functionArguments(inside) else { return nil }
        switch function {
        case "rgb", "rgba": guard let color = Color.rgbFunction(arguments) else { return nil }; self = color
        case "hsl", "hsla": guard let color = Color.hslFunction(arguments) else { return nil }; self = color
        default: return nil
        }
    }

    /// `rgb`, `rgba`, `rrggbb` or `rrggbbaa` hex digits.
    private static func hex(_ digits: Substring) -> Color? {
        guard [3, 4, 6, 8].contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
        let values = digits.compactMap { $0.hexDigitValue }
        var channels: [Int]
        if digits.count <= 4 {
            channels = values.map { $0 * 17 }
        } else {
            channels = stride(from: 0, to: values.count, by: 2).map { values[$0] * 16 + values[$0 + 1] }
        }
        let alpha = channels.count == 4 ? Double(channels[3]) / 255 : 1
        return Color(r: channels[0], g: channels[1], b: channels[2], alpha: alpha)
    }

    /// The arguments of `f(a, b, c)`, `f(a b c)` or `f(a b c / d)`; the alpha, if any, last.
    private static func functionArguments(_ inside: Substring) -> [Substring]? {
        if inside.contains(",") {
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces)[...] }
            return parts.contains(where: \.isEmpty) ? nil : parts
        }
        let halves = inside.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        var parts = halves[0].split(separator: " ")
        if halves.count == 2 {
            let alpha = halves[1].split(separator: " ")
            guard alpha.count == 1 else { return nil }
            parts.append(alpha[0])
        }
        return parts
    }

    /// A number, or a percentage scaled so that 100% is `full`.
    private static func component(_ text: Substring, full: Double) -> Double? {
        if text.hasSuffix("%") {
            guard let v = Double(text.dropLast()), v.isFinite else { return nil }
            return v / 100 * full
        }
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// `50%` or `50` (CSS Color 4 allows bare numbers in `hsl()`), as 0…1.
    private static func percentage(_ text: Substring) -> Double? {
        guard let v = Double(text.hasSuffix("%") ? text.dropLast() : text), v.isFinite else { return nil }
        return v / 100
    }

    private static func alphaComponent(_ arguments: [Substring]) -> Double? {
        arguments.count == 4 ? component(arguments[3], full: 1) : 1
    }

    private static func rgbFunction(_ arguments: [Substring]) -> Color? {
        guard arguments.count == 3 || arguments.count == 4,
              let r = component(arguments[0], full: 255), let g = component(arguments[1], full: 255),
              let b = component(arguments[2], full: 255), let a = alphaComponent(arguments) else { return nil }
        return Color(red: r / 255, green: g / 255, blue: b / 255, alpha: a)
    }

    private static func hslFunction(_ arguments: [Substring]) -> Color? {
        guard arguments.count == 3 || arguments.count == 4 else { return nil }
        let hueText = arguments[0].hasSuffix("deg") ? arguments[0].dropLast(3) : arguments[0]
        guard let hue = Double(hueText), hue.isFinite,
              let saturation = percentage(arguments[1]), let lightness = percentage(arguments[2]),
              let a = alphaComponent(arguments) else { return nil }
        let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 360
        let s = min(1, max(0, saturation)), l = min(1, max(0, lightness))
        // CSS Color 4's hsl-to-rgb: each channel from a shifted hue.
        func channel(_ n: Double) -> Double {
            let k = (n + h * 12).truncatingRemainder(dividingBy: 12)
            return l - s * min(l, 1 - l) * max(-1, min(k - 3, 9 - k, 1))
        }
        return Color(red: channel(0), green: channel(8), blue: channel(4), alpha: a)
    }
}
