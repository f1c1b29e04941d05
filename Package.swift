// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frontline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "frontline", targets: ["frontline"]),
        .library(name: "FrontlineData", targets: ["FrontlineData"]),
        .library(name: "FrontlineRender", targets: ["FrontlineRender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // GDAL's headers (Debian's libgdal-dev) and libgdal loaded on first use: see Sources/CGDAL.
        .target(name: "CGDAL"),
        .target(name: "FrontlineGeometry", dependencies: ["CGEOS", "CPROJ"]),
        .target(name: "FrontlineData", dependencies: ["FrontlineGeometry"]),
        .target(name: "FrontlineFormats", dependencies: ["FrontlineGeometry", "FrontlineData", "CGDAL"]),
        .target(name: "FrontlineStore", dependencies: ["FrontlineGeometry", "FrontlineData", "CPostgres"]),
        .target(
            name: "FrontlineRender",
            dependencies: ["FrontlineData", "FrontlineGeometry", "CCairo", "CPangoCairo", "CZlib"],
            resources: [.embedInCode("Styles")]
        ),
        .target(
            name: "FrontlineTiles",
            dependencies: ["FrontlineRender", "FrontlineData", "FrontlineGeometry", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // ffmpeg, run as a process: animations (MP4, WebM, GIF) from PNG frames.
        .target(name: "FrontlineVideo"),
        .target(name: "FrontlineOGC", dependencies: ["FrontlineRender", "FrontlineData", "FrontlineGeometry", "FrontlineFormats"]),
        .target(
            name: "FrontlineServer",
            dependencies: [
                "FrontlineTiles", "FrontlineRender", "FrontlineData", "FrontlineGeometry", "FrontlineOGC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.embedInCode("Viewer")]
        ),
        .executableTarget(
            name: "frontline",
            dependencies: [
                "FrontlineData",
                "FrontlineGeometry",
                "FrontlineRender",
                "FrontlineTiles",
                "FrontlineServer",
                "FrontlineFormats",
                "FrontlineStore",
                "FrontlineVideo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "frontlineTests", dependencies: ["frontline"], exclude: ["Golden"]),
        .testTarget(name: "FrontlineVideoTests", dependencies: ["FrontlineVideo", "FrontlineRender", "FrontlineData"]),
        .testTarget(name: "FrontlineGeometryTests", dependencies: ["FrontlineGeometry"]),
        .testTarget(name: "FrontlineRenderTests", dependencies: ["FrontlineRender", "FrontlineData", "FrontlineGeometry", "CZlib"]),
        .testTarget(
            name: "FrontlineTilesTests",
            dependencies: ["FrontlineTiles", "FrontlineRender", "FrontlineData", "FrontlineGeometry", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "FrontlineServerTests",
            dependencies: [
                "FrontlineServer", "FrontlineRender", "FrontlineData", "FrontlineTiles", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .testTarget(name: "FrontlineDataTests", dependencies: ["FrontlineData", "FrontlineGeometry"], exclude: ["Fixtures"]),
        .testTarget(name: "FrontlineFormatsTests", dependencies: ["FrontlineFormats", "FrontlineData", "FrontlineGeometry"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
