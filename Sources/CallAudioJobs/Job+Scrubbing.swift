import CallAudio

extension Job {
    /// What stands in for a file path, or a personal field, once the recording it belonged to is deleted.
    public static let deletedPath = "(deleted)"

    /// The job with every file path and personal field it holds replaced: the recipe's inputs and output folder,
    /// the call id, leg roles and tags, an email's recipients and caller, an event's body, the result and the
    /// failure's file and message; its idempotency key released. What a deleted recording leaves in the queue's
    /// rows: which kind of work ran when, and how it ended.
    public func scrubbed() -> Job {
        var job = self
        switch payload {
        case .call(let recipe): job.payload = .call(Self.scrubbed(recipe))
        case .voicemail(let recipe): job.payload = .voicemail(Self.scrubbed(recipe))
        case .reencode(var recipe):
            recipe.input = Self.deletedPath
            recipe.output = Self.deletedPath
            recipe.tags = Tags()
            job.payload = .reencode(recipe)
        case .transcribe(var recipe):
            recipe.call = Self.scrubbed(recipe.call)
            job.payload = .transcribe(recipe)
        case .voicemailEmail(var voicemail):
            voicemail.email.input = Self.deletedPath
            voicemail.email.outputDirectory = Self.deletedPath
            voicemail.email.to = []
            voicemail.email.callerNumber = Self.deletedPath
            voicemail.email.callerName = nil
            voicemail.email.mailbox = nil
            job.payload = .voicemailEmail(voicemail)
        case .webhook(var delivery):
            delivery.body = "{}"  // the event named the recording and its call
            job.payload = .webhook(delivery)
        }
        job.result = nil
        job.idempotencyKey = nil  // the key may be submitted again, for a new recording
        if var failure = job.failure {
            failure.path = failure.path.map { _ in Self.deletedPath }
            failure.message = "(scrubbed when its recording was deleted)"
            job.failure = failure
        }
        return job
    }

    private static func scrubbed(_ recipe: CallRecipe) -> CallRecipe {
        var recipe = recipe
        recipe.legs = recipe.legs.map { leg in
            var leg = leg
            leg.path = deletedPath
            leg.role = nil
            leg.capturedStream = nil
            return leg
        }
        recipe.outputDirectory = deletedPath
        recipe.tags = Tags()
        return recipe
    }
}
