import Foundation
import Synchronization

/// A progress bar on a terminal, for `seed` and `import`; a line every 10 % otherwise (logs stay short).
final class ProgressReporter: Sendable {
    private let label: String
    private let unit: String
    private let terminal = isatty(2) == 1
    private let state = Mutex<(shown: Int, start: Date)>((-1, Date()))

    init(label: String, unit: String = "tiles") {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, _ total: Int) {
        guard total > 0 else { return }
        let percent = done * 100 / total
        state.withLock { s in
            let step = terminal ? percent : percent / 10 * 10
            guard step > s.shown else { return }
            s.shown = step
            let elapsed = Date().timeIntervalSince(s.start)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            if terminal {
                let width = 30, filled = width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                Console.write("\r\(label) \(bar) \(percent)% \(done)/\(total) \(unit), \(Int(rate)) \(unit)/s ")
            } else {
                Console.error("\(label): \(percent)% (\(done)/\(total) \(unit), \(Int(rate)) \(unit)/s)")
            }
        }
    }

    /// Prints lines on standard output, above the bar on a terminal.
    func print(_ text: String) {
        state.withLock { _ in
            if terminal { Console.write("\r\u{1B}[K") }
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }

    func finish() {
        if terminal { Console.write("\n") }
    }
}
