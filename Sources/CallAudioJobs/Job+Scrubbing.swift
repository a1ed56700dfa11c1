import CallAudio

extension Job {
    /// What stands in for a file path once the recording it named is deleted.
    public static let deletedPath = "(deleted)"

    /// The job with every file path it holds (the recipe's inputs and output folder, the result, the failure's
    /// file) replaced by `deletedPath` and its idempotency key released: what a deleted recording leaves in the
    /// queue's rows.
    public func scrubbed() -> Job {
        var job = self
        switch payload {
        case .call(let recipe): job.payload = .call(Self.scrubbed(recipe))
        case .voicemail(let recipe): job.payload = .voicemail(Self.scrubbed(recipe))
        case .reencode(var recipe):
            recipe.input = Self.deletedPath
            recipe.output = Self.deletedPath
            job.payload = .reencode(recipe)
        case .transcribe(var recipe):
            recipe.call = Self.scrubbed(recipe.call)
            job.payload = .transcribe(recipe)
        case .voicemailEmail(var voicemail):
            voicemail.email.input = Self.deletedPath
            voicemail.email.outputDirectory = Self.deletedPath
            job.payload = .voicemailEmail(voicemail)
        case .webhook:
            break  // an event names the recording by id, never by path
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
            return leg
        }
        recipe.outputDirectory = deletedPath
        return recipe
    }
}
