import CallRecordings
import Hummingbird

extension FieldProblem {
    /// What `make` returns, or a `400` whose message is the field's problem in the client's words: how every route
    /// turns a parsed query, body or path value into an answer.
    static func requireValid<Value>(_ make: () throws(FieldProblem) -> Value) throws(HTTPError) -> Value {
        do {
            return try make()
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
    }
}
