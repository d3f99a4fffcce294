import Synthesis
import Testing

/// Parallel.map keeps the order of its indexes, runs each once, and gives each thread its own worker number.
@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 100])
    func resultsAreInIndexOrder(count: Int) {
        #expect(Parallel.map(count: count) { _, index in index * 3 } == (0..<count).map { $0 * 3 })
    }

    @Test func workersAreWithinRange() {
        let workers = Parallel.map(count: 50, workers: 2) { worker, _ in worker }
        #expect(workers.allSatisfy { (0..<2).contains($0) })
    }
}
