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
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .target(name: "FrontlineGeometry", dependencies: ["CGEOS", "CPROJ"]),
        .target(name: "FrontlineData", dependencies: ["FrontlineGeometry"]),
        .target(name: "FrontlineRender", dependencies: ["FrontlineData", "FrontlineGeometry", "CCairo", "CPangoCairo", "CZlib"]),
        .target(
            name: "FrontlineTiles",
            dependencies: ["FrontlineRender", "FrontlineData", "FrontlineGeometry", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "frontline",
            dependencies: [
                "FrontlineData",
                "FrontlineGeometry",
                "FrontlineRender",
                "FrontlineTiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "frontlineTests", dependencies: ["frontline"], exclude: ["Golden"]),
        .testTarget(name: "FrontlineGeometryTests", dependencies: ["FrontlineGeometry"]),
        .testTarget(name: "FrontlineRenderTests", dependencies: ["FrontlineRender", "FrontlineData", "FrontlineGeometry"]),
        .testTarget(
            name: "FrontlineTilesTests",
            dependencies: ["FrontlineTiles", "FrontlineRender", "FrontlineData", "FrontlineGeometry", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "FrontlineDataTests", dependencies: ["FrontlineData", "FrontlineGeometry"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
