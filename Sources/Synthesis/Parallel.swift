import Foundation

/// Work spread over every core, for the stages that only read what synthesis has finished
/// (validating and rendering templates).
public enum Parallel {
    /// `body(worker, index)` for every index below `count`, on up to `workers` threads at once,
    /// in the order of the indexes. Each thread takes the next index when it is done with one, so a
    /// long item does not hold up the rest; `worker` (0 to `workers - 1`) names the thread, so a
    /// caller can give each its own state. The result does not depend on the order the work ran in.
    public static func map<T>(
        count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (_ worker: Int, _ index: Int) -> T
    ) -> [T] {
        let threads = max(1, min(workers, count))
        if threads == 1 { return (0..<count).map { body(0, $0) } }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            guard let slots = buffer.baseAddress else { return }
            withoutActuallyEscaping(body) { body in
                let job = Job(body: body, slots: slots, count: count)
                DispatchQueue.concurrentPerform(iterations: threads) { worker in
                    while let index = job.next() { job.slots[index] = job.body(worker, index) }
                }
            }
        }
        return results.map { $0! }
    }

    /// The work as the threads see it. Unchecked, because the values `body` reads (templates hold
    /// `Value`s, which may hold token objects) are not provably Sendable: nothing writes them any
    /// more, each index is taken by one thread (under the lock) and writes its own slot, and
    /// `concurrentPerform` finishes every thread before it returns.
    private final class Job<T>: @unchecked Sendable {
        let body: (Int, Int) -> T
        let slots: UnsafeMutablePointer<T?>
        let count: Int
        private var taken = 0
        private let lock = NSLock()

        init(body: @escaping (Int, Int) -> T, slots: UnsafeMutablePointer<T?>, count: Int) {
            self.body = body
            self.slots = slots
            self.count = count
        }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }
    }
}
