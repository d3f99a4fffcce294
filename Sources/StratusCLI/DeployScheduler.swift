import Foundation
import Plan

/// Runs plan steps in parallel waves: every step whose dependencies are done starts, up to
/// `concurrency` at once. After a failure no new step starts; running steps finish. Steps outside
/// the selection count as done (`--only`, `--account`: they must already be deployed).
final class DeployScheduler: @unchecked Sendable {
    struct Summary {
        var completed: [String] = []
        var skipped: [String] = []
        var failed: [(step: String, failure: StepFailure)] = []
        var notRun: [String] = []
    }

    let steps: [DeployPlan.Step]
    let concurrency: Int
    let work: (DeployPlan.Step) throws -> StepRunner.Outcome
    let console: Console
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var summary = Summary()
    private var finished = Set<String>()
    private var started = Set<String>()
    private var running = 0

    init(steps: [DeployPlan.Step], concurrency: Int, console: Console, work: @escaping (DeployPlan.Step) throws -> StepRunner.Outcome) {
        self.steps = steps
        self.concurrency = max(1, concurrency)
        self.console = console
        self.work = work
    }

    func run() -> Summary {
        let selected = Set(steps.map(\.id))
        condition.lock()
        while true {
            if summary.failed.isEmpty {
                for step in steps where !started.contains(step.id) && running < concurrency {
                    let ready = step.dependsOn.allSatisfy { !selected.contains($0) || finished.contains($0) }
                    guard ready else { continue }
                    started.insert(step.id)
                    running += 1
                    console.say(step.id, "started (\(step.account.name) \(step.account.id), \(step.region))")
                    let thread = Thread { [self] in
                        let start = Date()
                        let result: Result<StepRunner.Outcome, StepFailure>
                        do {
                            result = .success(try work(step))
                        } catch let failure as StepFailure {
                            result = .failure(failure)
                        } catch let missing as MissingOutput {
                            result = .failure(StepFailure(message: missing.message, hint: "deploy \(missing.step) first"))
                        } catch {
                            result = .failure(StepFailure(message: "\(error)"))
                        }
                        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
                        condition.lock()
                        switch result {
                        case .success(let outcome):
                            finished.insert(step.id)
                            switch outcome {
                            case .unchanged:
                                summary.skipped.append(step.id)
                                console.say(step.id, "unchanged, skipped")
                            case .hotswapped(let functions):
                                summary.completed.append(step.id)
                                console.say(step.id, "hotswapped \(functions.count) function\(functions.count == 1 ? "" : "s") in \(seconds) s")
                            case .uploaded(let count):
                                summary.completed.append(step.id)
                                console.say(step.id, "uploaded \(count) archive\(count == 1 ? "" : "s") in \(seconds) s")
                            case .deployed:
                                summary.completed.append(step.id)
                                console.say(step.id, "deployed in \(seconds) s")
                            }
                        case .failure(let failure):
                            summary.failed.append((step.id, failure))
                            console.say(step.id, "failed after \(seconds) s")
                        }
                        running -= 1
                        condition.signal()
                        condition.unlock()
                    }
                    thread.start()
                }
            }
            if running == 0 { break }
            condition.wait()
        }
        summary.notRun = steps.map(\.id).filter { !started.contains($0) }
        let result = summary
        condition.unlock()
        return result
    }
}
