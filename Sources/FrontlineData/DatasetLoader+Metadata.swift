import FrontlineGeometry

extension DatasetLoader {
    /// Reads `dataset.json`; nil when a required member is missing or wrong (issues recorded).
    mutating func readMetadata(_ json: JSONValue) -> DatasetMetadata? {
        let file = Dataset.File.metadata.rawValue
        guard let members = json.objectValue else {
            issues.append(ValidationIssue(.error, .wrongType, file: file, "expected a JSON object, found \(json.typeDescription)"))
            return nil
        }
        var r = FeatureReader(file: file, index: 0, properties: members)
        defer { issues += r.issues.map { var i = $0; i.featureIndex = nil; return i } }

        let title = r.string("title")
        let attribution = r.string("attribution")
        let license = r.optionalString("license") ?? ""

        var parties: [Party]? = nil
        if let value = members["parties"], !value.isNull {
            if let list = value.arrayValue, !list.isEmpty {
                var found: [Party] = []
                for (k, item) in list.enumerated() {
                    guard let id = item["id"]?.stringValue, !id.isEmpty, let name = item["name"]?.stringValue else {
                        r.error(.wrongType, "parties", "parties[\(k)] must be an object with string \"id\" and \"name\"")
                        continue
                    }
                    if id == Party.none.id {
                        r.error(.badValue, "parties", "\"none\" is reserved for ground that no party holds")
                    } else if found.contains(where: { $0.id == id }) {
                        r.error(.duplicateID, "parties", "party id \"\(id)\" appears twice")
                    } else {
                        found.append(Party(id: id, name: name))
                    }
                }
                parties = found
            } else {
                r.error(.wrongType, "parties", "expected a non-empty array of {id, name}, found \(value.typeDescription)")
            }
        } else {
            r.error(.missingProperty, "parties", "the property is missing; list the parties as [{\"id\": …, \"name\": …}]")
        }

        var keyDates: [KeyDate] = []
        if let value = members["key_dates"], !value.isNull {
            if let list = value.arrayValue {
                for (k, item) in list.enumerated() {
                    guard let text = item["date"]?.stringValue, let date = CalendarDate(text) else {
                        r.error(.badDate, "key_dates", "key_dates[\(k)].date must be a date YYYY-MM-DD")
                        continue
                    }
                    keyDates.append(KeyDate(date: date, label: item["label"]?.stringValue ?? ""))
                }
                keyDates.sort { $0.date < $1.date }
            } else {
                r.error(.wrongType, "key_dates", "expected an array of {date, label}, found \(value.typeDescription)")
            }
        }

        var extent: ClosedRange<CalendarDate>? = nil
        if let value = members["temporal_extent"], !value.isNull {
            if let list = value.arrayValue, list.count == 2 {
                let dates = list.map { $0.stringValue.flatMap(CalendarDate.init) }
                if let first = dates[0], let last = dates[1] {
                    if first <= last { extent = first...last } else {
                        r.error(.dateOrder, "temporal_extent", "the first date \(first) is after the last \(last)")
                    }
                } else {
                    r.error(.badDate, "temporal_extent", "expected two dates YYYY-MM-DD")
                }
            } else {
                r.error(.wrongType, "temporal_extent", "expected [first, last] dates")
            }
        } else {
            r.error(.missingProperty, "temporal_extent", "the property is missing; give [first, last] dates the data describes")
        }

        let defaultDate = r.date("default_date")
        if let defaultDate, let extent, !extent.contains(defaultDate) {
            r.error(.dateOutsideExtent, "default_date", "\(defaultDate) is outside the temporal extent \(extent.lowerBound) – \(extent.upperBound)")
        }

        var bbox: BoundingBox? = nil
        if let value = members["bbox"], !value.isNull {
            let numbers = value.arrayValue?.compactMap(\.numberValue) ?? []
            if numbers.count == 4, numbers.allSatisfy(\.isFinite), numbers[0] < numbers[2], numbers[1] < numbers[3],
               numbers[0] >= -180, numbers[2] <= 180, numbers[1] >= -90, numbers[3] <= 90 {
                bbox = BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
            } else {
                r.error(.badValue, "bbox", "expected [west, south, east, north] in degrees with west < east and south < north")
            }
        } else {
            r.error(.missingProperty, "bbox", "the property is missing; give the default view as [west, south, east, north]")
        }

        guard let title, let attribution, let parties, let extent, let defaultDate, let bbox, !r.hasErrors else { return nil }
        return DatasetMetadata(title: title, attribution: attribution, license: license, parties: parties, keyDates: keyDates,
                               temporalExtent: extent, defaultDate: defaultDate, bbox: bbox)
    }
}
