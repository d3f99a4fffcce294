import Foundation
import Synthesis
import TestSupport
import Testing

@Suite struct AssetTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func crc32MatchesTheCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func zipIsIndependentOfEntryOrderAndReadableByUnzip() throws {
        let a = ZipArchive.Entry(path: "app.py", contents: Array("print('hi')\n".utf8))
        let b = ZipArchive.Entry(path: "lib/util.py", contents: Array("X = 1\n".utf8))
        let archive = ZipArchive.archive([b, a])
        #expect(archive == ZipArchive.archive([a, b]))
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("code.zip")
        try Data(archive).write(to: file)
        guard let python = Command.which("python3") else { return }
        let check = try Command.run(python, ["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(sorted(z.namelist()), z.read('lib/util.py').decode().strip(), z.getinfo('app.py').date_time)", file.path], in: directory.url)
        #expect(check.stdout == "['app.py', 'lib/util.py'] X = 1 (1980, 1, 1, 0, 0, 0)\n", "\(check.stderr)")
    }

    @Test func packagingAFolderIsDeterministicAndSkipsCaches() throws {
        let directory = try TemporaryDirectory()
        try directory.write("code/app.py", "def handler(e, c):\n    return 1\n")
        try directory.write("code/pkg/mod.py", "Y = 2\n")
        try directory.write("code/__pycache__/app.cpython-313.pyc", "junk")
        try directory.write("code/.DS_Store", "junk")
        let app = Fixtures.app()
        let first = App(environment: app.environment, organisation: app.organisation, rootDirectory: directory.url)
        let second = App(environment: app.environment, organisation: app.organisation, rootDirectory: directory.url)
        let stack = Stack(in: first, "Test")
        let one = try #require(first.asset(folder: "code", for: stack))
        let two = try #require(second.asset(folder: "code", for: Stack(in: second, "Test")))
        #expect(one.hash == two.hash)
        #expect(one.archive == two.archive)
        #expect(one.key == "\(one.hash).zip")
        #expect(stack.usedAssets == [one])
        #expect(!String(decoding: one.archive, as: UTF8.self).contains("junk"))
        // Changing a file changes the name.
        try directory.write("code/pkg/mod.py", "Y = 3\n")
        let third = App(environment: app.environment, organisation: app.organisation, rootDirectory: directory.url)
        #expect(third.asset(folder: "code", for: Stack(in: third, "Test"))?.hash != one.hash)
    }
}
