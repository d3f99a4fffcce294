import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synthesis
import TestSupport
import Testing

@Suite struct AssetTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
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
        let archive = try ZipArchive.archive([b, a])
        #expect(try archive == ZipArchive.archive([a, b]))
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

    /// Lengths around the 55/56/64-byte padding boundaries, against Python's hashlib.
    @Test func sha256AgreesWithHashlibAtBlockBoundaries() throws {
        guard let python = Command.which("python3") else { return }
        let lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]
        let directory = try TemporaryDirectory()
        let script = "import hashlib\nfor n in \(lengths):\n    print(hashlib.sha256(bytes(i % 251 for i in range(n))).hexdigest())\n"
        let expected = try Command.run(python, ["-c", script], in: directory.url).stdout.split(separator: "\n").map(String.init)
        #expect(expected.count == lengths.count)
        for (length, digest) in zip(lengths, expected) {
            #expect(SHA256.hex((0..<length).map { UInt8($0 % 251) }) == digest, "length \(length)")
        }
    }

    /// 65,536 entries (one more than a plain ZIP counts): ZIP64 end records, readable, deterministic.
    @Test func sixtyFiveThousandFilesAreOneZip64Archive() throws {
        let entries = (0..<65_536).map { ZipArchive.Entry(path: "f/\($0).txt", contents: Array("\($0)".utf8)) }
        let archive = try ZipArchive.archive(entries)
        #expect(try archive == ZipArchive.archive(entries.reversed()))
        guard let python = Command.which("python3") else { return }
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("big.zip")
        try Data(archive).write(to: file)
        let check = try Command.run(python, ["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()), z.read('f/65535.txt').decode())", file.path], in: directory.url)
        #expect(check.stdout == "65536 65535\n", "\(check.stderr)")
    }

    /// The ZIP64 extra fields and end records, written on a small archive, read back by Python.
    @Test func zip64RecordsAreReadable() throws {
        let entries = [ZipArchive.Entry(path: "a.py", contents: Array("A = 1\n".utf8)), ZipArchive.Entry(path: "b/c.py", contents: [])]
        let archive = try ZipArchive.archive(entries, alwaysZip64: true)
        #expect(archive != (try ZipArchive.archive(entries)))
        guard let python = Command.which("python3") else { return }
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("z64.zip")
        try Data(archive).write(to: file)
        let check = try Command.run(python, ["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist(), z.read('a.py').decode().strip(), [i.file_size for i in z.infolist()])", file.path], in: directory.url)
        #expect(check.stdout == "['a.py', 'b/c.py'] A = 1 [6, 0]\n", "\(check.stderr)")
    }

    @Test func aPathLongerThanAZipHeaderHoldsIsAnError() {
        let long = String(repeating: "d/", count: 40_000) + "x.py"
        #expect(throws: ZipArchive.Problem.pathTooLong(long)) { try ZipArchive.archive([ZipArchive.Entry(path: long, contents: [])]) }
    }

    // MARK: - Code folders trust nothing

    private func packagingProblems(_ folder: String = "code", _ prepare: (TemporaryDirectory) throws -> Void) throws -> [String] {
        let directory = try TemporaryDirectory()
        try directory.write("code/app.py", "def handler(e, c):\n    return 1\n")
        try prepare(directory)
        let app = App(environment: Fixtures.environment(), organisation: Fixtures.organisation, rootDirectory: directory.url)
        let stack = Stack(in: app, "Test")
        _ = app.asset(folder: folder, for: stack)
        return app.diagnostics.map(\.description)
    }

    @Test func aCodeFolderOutsideTheRepositoryIsRefused() throws {
        let problems = try packagingProblems("../../etc/ssl") { _ in }
        #expect(problems.count == 1)
        #expect(problems.first?.hasSuffix("error: dev/Test: code folder '../../etc/ssl' is outside the repository\n  hint: give a folder inside the repository, relative to its root, e.g. Stacks/Functions/quiz/games") == true, "\(problems)")
        #expect(try packagingProblems("/etc/ssl") { _ in }.first?.contains("code folder '/etc/ssl' is outside the repository") == true)
    }

    @Test func linksThatLeaveTheRepositoryOrLoopAreNamed() throws {
        let outside = try packagingProblems { try FileManager.default.createSymbolicLink(atPath: $0.url.appendingPathComponent("code/passwd").path, withDestinationPath: "/etc/passwd") }
        #expect(outside.first?.hasSuffix("error: dev/Test: 'code/passwd' is a symbolic link to '/etc/passwd', outside the repository\n  hint: copy what the function needs into its folder; links in a code folder may only point inside the repository") == true, "\(outside)")
        let loop = try packagingProblems { try FileManager.default.createSymbolicLink(atPath: $0.url.appendingPathComponent("code/loop").path, withDestinationPath: ".") }
        #expect(loop.first?.hasSuffix("error: dev/Test: 'code/loop' is a symbolic link that loops back into the code folder\n  hint: remove the link, or point it at a folder that does not contain it") == true, "\(loop)")
        let cycle = try packagingProblems { try FileManager.default.createSymbolicLink(atPath: $0.url.appendingPathComponent("code/self").path, withDestinationPath: "self") }
        #expect(cycle.first?.hasSuffix("error: dev/Test: 'code/self' is a symbolic link that loops back into the code folder\n  hint: remove the link, or point it at a folder that does not contain it") == true, "\(cycle)")
        // A link to a file elsewhere in the repository is packaged as that file.
        let inside = try packagingProblems {
            try $0.write("shared/lib.py", "X = 1\n")
            try FileManager.default.createSymbolicLink(atPath: $0.url.appendingPathComponent("code/lib.py").path, withDestinationPath: "../shared/lib.py")
        }
        #expect(inside.isEmpty, "\(inside)")
    }

    @Test func danglingLinksFifosAndUnreadableFilesAreNamed() throws {
        let dangling = try packagingProblems { try FileManager.default.createSymbolicLink(atPath: $0.url.appendingPathComponent("code/gone").path, withDestinationPath: "nowhere") }
        #expect(dangling.first?.hasSuffix("error: dev/Test: cannot package code: 'code/gone' is a symbolic link to something that does not exist\n  hint: point the link at a file that exists, or remove it") == true, "\(dangling)")
        let fifo = try packagingProblems { #expect(mkfifo($0.url.appendingPathComponent("code/pipe").path, 0o644) == 0) }
        #expect(fifo.first?.hasSuffix("error: dev/Test: cannot package code: 'code/pipe' is not a regular file (a FIFO, socket or device)\n  hint: replace it with a regular file") == true, "\(fifo)")
        // Root reads any file; the permission check runs for other users.
        if getuid() != 0 {
            let unreadable = try packagingProblems { try $0.write("code/secret.py", "x"); chmod($0.url.appendingPathComponent("code/secret.py").path, 0) }
            #expect(unreadable.first?.hasSuffix("error: dev/Test: cannot package code: 'code/secret.py' cannot be read: permission denied\n  hint: give your user read (and, for out/, write) permission, e.g. chmod u+rw") == true, "\(unreadable)")
        }
    }

    @Test func lambdaSizeLimitsAreEnforcedWithTheMeasuredSize() throws {
        // 250 MB unzipped: a sparse file, measured and never read.
        let unzipped = try packagingProblems {
            let path = $0.url.appendingPathComponent("code/model.bin").path
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, 262_144_001) == 0)
        }
        #expect(unzipped.first?.hasSuffix("error: dev/Test: code folder 'code' is 262144033 bytes (250.0 MB) unzipped; Lambda takes at most 262144000 bytes (250.0 MB)\n  hint: leave build tools and tests out, move dependencies to a layer, or split the function") == true, "\(unzipped)")
        // 50 MB zipped.
        let zipped = try packagingProblems { try Data(count: 52_428_800).write(to: $0.url.appendingPathComponent("code/data.bin")) }
        #expect(zipped.first?.contains("error: dev/Test: code folder 'code' zips to 52429") == true, "\(zipped)")
        #expect(zipped.first?.contains(" bytes (50.0 MB); Lambda takes at most 52428800 bytes (50.0 MB) in a directly uploaded zip\n  hint: ") == true, "\(zipped)")
    }
}
