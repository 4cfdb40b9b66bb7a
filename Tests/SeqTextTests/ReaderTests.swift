import Foundation
import SeqText
import Testing

/// Writes `bytes` to `name` inside `directory`.
private func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

private func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
    try write(Array(text.utf8), name, in: directory)
}

/// `n` lines `prefix 1` … `prefix n`, each ending in a newline.
private func numberedLines(_ prefix: String, _ count: Int) -> String {
    (1...count).map { "\(prefix) \($0)\n" }.joined()
}

@Suite("Readers")
struct ReaderTests {
    @Test("line endings: CRLF, no final newline, empty lines, byte order mark")
    func lineEndings() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let file = try write(
                [0xEF, 0xBB, 0xBF] + Array("one\r\ntwo\n\nfour".utf8), "a.txt", in: directory)
            let reader = try LineReader(contentsOf: file)
            var lines: [String] = []
            while let line = try reader.nextLine() { lines.append(line) }
            #expect(lines == ["one", "two", "", "four"])
            #expect(reader.lineNumber == 4)
            #expect(try reader.nextLine() == nil)
            let empty = try write("", "empty.txt", in: directory)
            #expect(try LineReader(contentsOf: empty).nextLine() == nil)
            let newlineOnly = try write("\n", "newline.txt", in: directory)
            #expect(try LineReader(contentsOf: newlineOnly).countRemainingLines() == 1)
        }
    }

    @Test("lines longer than the read buffer arrive whole")
    func longLines() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let long = String(repeating: "ä", count: 100_000)
            let file = try write("\(long)\nshort\n\(long)", "long.txt", in: directory)
            let reader = try LineReader(contentsOf: file)
            #expect(try reader.nextLine() == long)
            #expect(try reader.nextLine() == "short")
            #expect(try reader.nextLine() == long)
            #expect(try reader.nextLine() == nil)
        }
    }

    @Test("gzip is read transparently, by name or by magic bytes")
    func gzip() throws {
        let plain = try TSVReader(
            file: FixtureFiles.url("tatoeba-deu-eng-300.tsv"), columns: [0, 1]
        ).readPairs()
        let gzipped = try TSVReader(
            file: FixtureFiles.url("tatoeba-deu-eng-300.tsv.gz"), columns: [0, 1]
        ).readPairs()
        #expect(plain.count == 300)
        #expect(gzipped == plain)
        #expect(plain[0] == TextPair(source: "I promise.", target: "Ich verspreche es."))
        let expected = try FixtureFiles.tatoebaPairs().map {
            TextPair(source: $0.english, target: $0.german)
        }
        #expect(plain == expected)
        try FixtureFiles.withTemporaryDirectory { directory in
            // Gzip data under a name without .gz.
            let disguised = directory.appendingPathComponent("pairs.tsv")
            try FileManager.default.copyItem(
                at: FixtureFiles.url("tatoeba-deu-eng-300.tsv.gz"), to: disguised)
            #expect(
                try TSVReader(file: disguised, columns: [1]).readAll().map { $0[0] }
                    == plain.map(\.target))
            // A truncated gzip stream is an error naming the file.
            let bytes = try Data(contentsOf: FixtureFiles.url("tatoeba-deu-eng-300.tsv.gz"))
            let truncated = try write(
                Array(bytes.prefix(bytes.count / 2)), "cut.tsv.gz", in: directory)
            #expect {
                try TSVReader(file: truncated, columns: [0]).readAll()
            } throws: { error in
                let error = error as? ReaderError
                return error?.kind == .unreadableFile && error?.file == truncated.path
                    && error?.detail == "cannot be read (unexpected end of file)"
            }
        }
    }

    @Test("parallel files: pairs in order; a line-count mismatch names both files and counts")
    func parallel() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let german = try write(numberedLines("Satz", 29), "train.de", in: directory)
            let english = try write(numberedLines("sentence", 29), "train.en", in: directory)
            let pairs = try ParallelTextReader(source: german, target: english).readAll()
            #expect(pairs.count == 29)
            #expect(pairs[28] == TextPair(source: "Satz 29", target: "sentence 29"))

            let shorter = try write(numberedLines("sentence", 28), "short.en", in: directory)
            var seen = 0
            #expect {
                try ParallelTextReader(source: german, target: shorter).forEachPair { _ in seen += 1
                }
            } throws: { error in
                let error = error as? ReaderError
                return error?.kind == .lineCountMismatch
                    && error?.description
                        == "\(german.path) has 29 lines, \(shorter.path) has 28 lines"
            }
            #expect(seen == 28)
            let one = try write("just one\n", "one.de", in: directory)
            #expect {
                try ParallelTextReader(source: one, target: english).readAll()
            } throws: { error in
                (error as? ReaderError)?.description
                    == "\(one.path) has 1 line, \(english.path) has 29 lines"
            }
        }
    }

    @Test("relative paths are reported as written")
    func relativePath() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let url = URL(fileURLWithPath: "train.de", relativeTo: directory)
            try Data("a\n".utf8).write(to: url)
            let english = URL(fileURLWithPath: "train.en", relativeTo: directory)
            try Data("a\nb\n".utf8).write(to: english)
            #expect {
                try ParallelTextReader(source: url, target: english).readAll()
            } throws: { error in
                (error as? ReaderError)?.description == "train.de has 1 line, train.en has 2 lines"
            }
        }
    }

    @Test("invalid UTF-8 names the file, the 1-based line and the byte")
    func invalidUTF8() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let file = try write(
                Array("fine\nalso fine\n".utf8) + [0x61, 0x62, 0xC3, 0x28, 0x0A], "bad.txt",
                in: directory)
            let other = try write("1\n2\n3\n", "good.txt", in: directory)
            #expect {
                try ParallelTextReader(source: other, target: file).readAll()
            } throws: { error in
                let error = error as? ReaderError
                return error
                    == ReaderError(
                        kind: .invalidUTF8, file: file.path, line: 3,
                        detail: "invalid UTF-8 at byte 3 of the line")
                    && error?.description == "\(file.path):3: invalid UTF-8 at byte 3 of the line"
            }
        }
    }

    @Test("TSV: columns by index, in the order asked; too few columns names the line")
    func tsv() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let file = try write("a\tb\tc\n\t\t\nx\ty\n", "data.tsv", in: directory)
            let reader = TSVReader(file: file, columns: [2, 0])
            #expect {
                try reader.readAll()
            } throws: { error in
                (error as? ReaderError)?.description
                    == "\(file.path):3: expected at least 3 tab-separated columns, found 2"
            }
            #expect(
                try TSVReader(file: file, columns: [1, 0]).readAll() == [
                    ["b", "a"], ["", ""], ["y", "x"],
                ])
            // A tab before a combining mark still separates columns.
            let combining = try write("a\t\u{301}b\n", "combining.tsv", in: directory)
            #expect(try TSVReader(file: combining, columns: [1]).readAll() == [["\u{301}b"]])
        }
    }

    @Test(
        "JSON lines: fields by key; bad JSON, non-objects, missing keys and non-strings name the line"
    )
    func jsonLines() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let good = try write(
                """
                {"source": "Hallo", "target": "Hello", "id": 7}

                {"target": "Tschüß \\"du\\"", "source": "Bye \\"you\\""}
                """, "good.jsonl", in: directory)
            #expect(
                try JSONLinesReader(file: good, keys: ["source", "target"]).readPairs() == [
                    TextPair(source: "Hallo", target: "Hello"),
                    TextPair(source: "Bye \"you\"", target: "Tschüß \"du\""),
                ])
            let cases: [(String, String)] = [
                (
                    "{\"source\": \"a\", \"target\": \"b\"}\n{\"source\": \"a\", \"target\": }\n",
                    "2: invalid JSON"
                ),
                ("[\"a\", \"b\"]\n", "1: expected a JSON object"),
                (
                    "{\"source\": \"a\", \"target\": \"b\"}\n\n{\"source\": \"a\"}\n",
                    "3: missing key \"target\""
                ),
                (
                    "{\"source\": \"a\", \"target\": 5}\n",
                    "1: the value of \"target\" is not a string"
                ),
                (
                    "{\"source\": null, \"target\": \"b\"}\n",
                    "1: the value of \"source\" is not a string"
                ),
            ]
            for (index, (text, message)) in cases.enumerated() {
                let file = try write(text, "bad\(index).jsonl", in: directory)
                #expect {
                    try JSONLinesReader(file: file, keys: ["source", "target"]).readAll()
                } throws: { error in
                    (error as? ReaderError)?.description == "\(file.path):\(message)"
                }
            }
        }
    }

    @Test("a missing file or a directory is named")
    func missing() throws {
        try FixtureFiles.withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("nope.jsonl")
            #expect {
                try JSONLinesReader(file: missing, keys: ["source"]).readAll()
            } throws: { error in
                (error as? ReaderError)?.description == "\(missing.path): no such file"
            }
            #expect {
                try LineReader(contentsOf: directory)
            } throws: { error in
                (error as? ReaderError)?.description == "\(directory.path): is a directory"
            }
        }
    }
}
