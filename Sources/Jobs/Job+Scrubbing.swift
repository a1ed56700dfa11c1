extension Job {
    /// What stands in for a file path, or a personal field, once the recording it belonged to is deleted.
    public static let deletedPath = "(deleted)"

    /// The job with `recipe` (the kind's own scrubbed copy of its recipe) in place of its recipe, its result
    /// dropped, its idempotency key released and its failure's file and message replaced: what a deleted
    /// recording leaves in the queue's rows, which kind of work ran when and how it ended.
    public func scrubbed(recipe: JSONValue) -> Job {
        var job = self
        job.recipe = recipe
        job.result = nil
        job.idempotencyKey = nil  // the key may be submitted again, for a new recording
        if var failure = job.failure {
            failure.path = failure.path.map { _ in Self.deletedPath }
            failure.message = "(scrubbed when its recording was deleted)"
            job.failure = failure
        }
        return job
    }
}
