import SeqMetrics
import Testing

/// Files split into segments as `sacrebleu` reads them (`open(..., newline="\n")`, then
/// `line.rstrip()` for every line).
@Suite struct SegmentFileTests {
    @Test func splitsOnNewlinesAndRightStripsPythonWhitespace() throws {
        let text = "a b \r\n\tc\u{A0}\n\n\u{FEFF}d\re\u{3000}\nlast"
        #expect(
            try SegmentFile.segments(ofUTF8: Array(text.utf8))
                == ["a b", "\tc", "", "\u{FEFF}d\re", "last"])
    }

    @Test func aFinalNewlineEndsTheLastLineAndAddsNone() throws {
        #expect(try SegmentFile.segments(ofUTF8: Array("a\nb\n".utf8)) == ["a", "b"])
        #expect(try SegmentFile.segments(ofUTF8: Array("\n".utf8)) == [""])
        #expect(try SegmentFile.segments(ofUTF8: []) == [])
    }

    @Test func namesTheLineWithInvalidUTF8() {
        let bytes = Array("ok\nfine\n".utf8) + [0x66, 0xC3, 0x28] + Array("\nmore".utf8)
        #expect(throws: SegmentFile.InvalidUTF8(line: 3)) {
            try SegmentFile.segments(ofUTF8: bytes)
        }
        #expect(SegmentFile.InvalidUTF8(line: 3).description == "line 3 is not valid UTF-8")
    }
}
