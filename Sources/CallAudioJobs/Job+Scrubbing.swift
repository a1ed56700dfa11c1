import CallAudio
import Jobs

extension JobPayload {
    /// The payload with every file path and personal field it holds replaced: the recipe's inputs and output
    /// folder, the call id, leg roles and tags, an email's recipients and caller, an event's body.
    public func scrubbed() -> JobPayload {
        switch self {
        case .call(let recipe): return .call(Self.scrubbed(recipe))
        case .voicemail(let recipe): return .voicemail(Self.scrubbed(recipe))
        case .reencode(var recipe):
            recipe.input = Job.deletedPath
            recipe.output = Job.deletedPath
            recipe.tags = Tags()
            return .reencode(recipe)
        case .transcribe(var recipe):
            recipe.call = Self.scrubbed(recipe.call)
            return .transcribe(recipe)
        case .voicemailEmail(var voicemail):
            voicemail.email.input = Job.deletedPath
            voicemail.email.outputDirectory = Job.deletedPath
            voicemail.email.to = []
            voicemail.email.callerNumber = Job.deletedPath
            voicemail.email.callerName = nil
            voicemail.email.mailbox = nil
            return .voicemailEmail(voicemail)
        case .webhook(var delivery):
            delivery.body = "{}"  // the event named the recording and its call
            return .webhook(delivery)
        case .prompt(var recipe):
            recipe.input = Job.deletedPath
            recipe.outputDirectory = Job.deletedPath
            return .prompt(recipe)
        }
    }

    private static func scrubbed(_ recipe: CallRecipe) -> CallRecipe {
        var recipe = recipe
        recipe.legs = recipe.legs.map { leg in
            var leg = leg
            leg.path = Job.deletedPath
            leg.role = nil
            leg.capturedStream = nil
            return leg
        }
        recipe.outputDirectory = Job.deletedPath
        recipe.tags = Tags()
        return recipe
    }
}

extension JobQueue {
    /// Scrubs job `id` of everything its recording held: its payload (`JobPayload.scrubbed()`), result, key,
    /// failure and history details (`JobQueue.scrub(job:recipe:)`).
    public func scrub(job id: Int64) async throws {
        try await scrub(job: id) { job in try job.payload.scrubbed().stampedRecipe() }
    }
}
