import Testing

@testable import CallAudioServer

/// The connection deadlines as a state machine, driven by hand with explicit times.
@Suite struct ReadDeadlineTests {
    let limits = ConnectionLimits(idleTimeout: 60, headTimeout: 20, bodyTimeout: 20, minBodyRate: 1000)

    @Test func anIdleConnectionIsDueAfterTheIdleTimeout() {
        let deadline = ReadDeadline(limits: limits, openedAt: 100)
        #expect(deadline.deadline == 160)
        #expect(deadline.overdue(at: 159.9) == nil)
        #expect(deadline.overdue(at: 160) == .idle)
    }

    /// As the guard opens a connection: nothing is owed until the service first asks for bytes.
    @Test func aConnectionTheServiceHasNotReadYetOwesNothing() {
        var deadline = ReadDeadline(limits: limits, openedAt: 100)
        deadline.serviceStoppedReading(at: 100)
        #expect(deadline.deadline == nil)
        #expect(deadline.overdue(at: 1_000) == nil)
        deadline.serviceReading(at: 130)
        #expect(deadline.deadline == 190)
    }

    @Test func theHeadIsTimedFromItsFirstByte() {
        var deadline = ReadDeadline(limits: limits, openedAt: 0)
        deadline.bytesArrived(at: 50)
        deadline.bytesArrived(at: 65)  // more of the same head moves nothing
        #expect(deadline.deadline == 70)
        #expect(deadline.overdue(at: 70) == .head)
    }

    @Test func theBodysAllowanceGrowsWithWhatArrives() {
        var deadline = ReadDeadline(limits: limits, openedAt: 0)
        deadline.bytesArrived(at: 1)
        deadline.headReceived(at: 2)
        #expect(deadline.deadline == 22)
        deadline.bodyReceived(10_000)  // ten seconds more at the minimum rate
        #expect(deadline.deadline == 32)
        #expect(deadline.overdue(at: 31) == nil)
        #expect(deadline.overdue(at: 32) == .body)
    }

    @Test func noDeadlineWhileTheServiceAnswersThenIdleAgain() {
        var deadline = ReadDeadline(limits: limits, openedAt: 0)
        deadline.bytesArrived(at: 1)
        deadline.headReceived(at: 2)
        deadline.requestEnded()
        #expect(deadline.deadline == nil)
        #expect(deadline.overdue(at: 10_000) == nil)
        deadline.responseEnded(at: 500)
        #expect(deadline.deadline == 560)
    }

    @Test func timeTheServiceSpendsNotReadingIsNotTheClients() {
        var deadline = ReadDeadline(limits: limits, openedAt: 0)
        deadline.bytesArrived(at: 1)
        deadline.headReceived(at: 2)
        deadline.serviceStoppedReading(at: 10)
        #expect(deadline.deadline == nil)
        #expect(deadline.overdue(at: 1_000) == nil)
        deadline.serviceReading(at: 40)  // 30 s of back-pressure
        #expect(deadline.deadline == 52)
    }
}
