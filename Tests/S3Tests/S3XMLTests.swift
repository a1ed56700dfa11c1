import AudioTesting
import Foundation
import Testing

@testable import S3

/// The small XML reader on the shapes S3 answers with, SeaweedFS's numeric entities included.
@Suite struct S3XMLTests {
    @Test func readsElementsTextAndEntities() throws {
        let xml = try S3XML.parse(
            Data(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Location>http://x/b/a%20b</Location><Key>a &amp; b &lt;c&gt; &#xfc;&#252;</Key>
                  <ETag>&#34;3858f62230ac3c915f300c664312c11f-3&#34;</ETag><!-- a comment -->
                  <Empty/><Data><![CDATA[<raw> & ]]></Data>
                </CompleteMultipartUploadResult>
                """.utf8))
        #expect(xml.name == "CompleteMultipartUploadResult")
        #expect(xml["ETag"] == "\"3858f62230ac3c915f300c664312c11f-3\"")
        #expect(xml["Key"] == "a & b <c> üü")
        #expect(xml["Empty"] == "")
        #expect(xml["Data"] == "<raw> & ")
    }

    @Test func readsAnErrorAndRepeatedElements() throws {
        let xml = try S3XML.parse(
            Data(
                "<DeleteResult><Error><Key>a</Key><Code>AccessDenied</Code></Error><s3:Error><Key>b</Key></s3:Error></DeleteResult>"
                    .utf8))
        #expect(xml.children("Error").map { $0["Key"] } == ["a", "b"])
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a>&bogus;</a>", "text"])
    func refusesMalformedXML(_ text: String) {
        #expect(throws: S3XML.ParseError.self) { try S3XML.parse(Data(text.utf8)) }
    }

    @Test func escapesText() {
        #expect(S3XML.escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;")
    }
}

/// The file reader of multipart uploads: whole parts, and a file that changed size is caught.
@Suite struct FilePartsTests {
    @Test func readsWholePartsAndCatchesAFileThatShrank() async throws {
        try await withScratchFolder { folder async throws in
            let path = folder.appendingPathComponent("file").path
            try Data(TestStorage.bytes(25)).write(to: URL(fileURLWithPath: path))
            var sizes: [Int] = []
            for try await part in FileParts(file: try LocalFile(reading: path), size: 25, partSize: 10) {
                sizes.append(part.readableBytes)
            }
            #expect(sizes == [10, 10, 5])
            await #expect(throws: FileChanged.self) {
                for try await _ in FileParts(file: try LocalFile(reading: path), size: 30, partSize: 10) {}
            }
            await #expect(throws: FileChanged.self) {
                for try await _ in FileParts(file: try LocalFile(reading: path), size: 20, partSize: 10) {}
            }
        }
    }
}
