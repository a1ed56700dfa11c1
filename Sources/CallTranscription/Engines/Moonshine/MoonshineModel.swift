/// Moonshine's encoder and merged decoder in ONNX Runtime, decoding greedily with the decoder's key-value cache.
///
/// The encoder turns 16 kHz samples (`input_values`, `[1, samples]`) into `last_hidden_state`. The merged decoder
/// takes one token (`input_ids`), those hidden states, and for each layer the past keys and values of its self
/// attention (`past_key_values.N.decoder.key|value`) and of its cross attention (`...encoder.key|value`);
/// `use_cache_branch` false on the first step (the past is then ignored: one zero position is passed) and true
/// after it. It returns `logits` and the present keys and values: after the first step the self-attention ones
/// become the next step's past, and the cross-attention ones, computed once on the first step, are kept.
/// Decoding starts at token 1 (`<s>`) and stops at token 2 (`</s>`) or at the caller's limit.
/// Sendable: every decode keeps its state (cache, tokens) to itself, so clips decode side by side.
final class MoonshineModel: Sendable {
    static let startToken: Int64 = 1
    static let endToken = 2

    let encoder: OnnxSession
    let decoder: OnnxSession
    private var runtime: OnnxRuntime { encoder.environment.runtime }
    /// The decoder's cache inputs (`past_key_values.…`) and, for each, the output that feeds it (`present.…`).
    private let cache: [(input: String, output: String, isCrossAttention: Bool, shape: [Int64])]
    private let vocabularySize: Int

    /// Loads both models of `installation`.
    /// - Throws: `TranscriptionError.misconfigured` when they cannot be loaded or are not Moonshine's.
    init(_ installation: MoonshineInstallation, threads: Int) throws(TranscriptionError) {
        let environment = try OnnxEnvironment(runtime: try OnnxRuntime.load(installation.runtimePath))
        encoder = try OnnxSession(installation.encoderPath, environment: environment, threads: threads)
        decoder = try OnnxSession(installation.decoderPath, environment: environment, threads: threads)
        let outputs = Set(decoder.outputs.map(\.name))
        var cache: [(input: String, output: String, isCrossAttention: Bool, shape: [Int64])] = []
        for input in decoder.inputs where input.name.hasPrefix("past_key_values.") {
            let output = "present." + input.name.dropFirst("past_key_values.".count)
            guard outputs.contains(output) else {
                throw TranscriptionError(.misconfigured, "\(installation.decoderPath): \(input.name) has no \(output)")
            }
            // One position of zeros: batch and length 1, heads and head size as the model fixes them.
            cache.append((input.name, output, input.name.contains(".encoder."), input.dimensions.map { max($0, 1) }))
        }
        let expected = Set(["input_ids", "encoder_hidden_states", "use_cache_branch"] + cache.map(\.input))
        guard encoder.inputs.map(\.name) == ["input_values"], !cache.isEmpty,
            Set(decoder.inputs.map(\.name)) == expected, decoder.outputs.first?.name == "logits",
            let vocabulary = decoder.outputs.first?.dimensions.last, vocabulary > Self.endToken
        else {
            throw TranscriptionError(
                .misconfigured,
                "\(installation.folder): not Moonshine's encoder and merged decoder (inputs "
                    + decoder.inputs.map(\.name).prefix(4).joined(separator: ", ") + ", ...)")
        }
        self.cache = cache
        vocabularySize = Int(vocabulary)
    }

    /// The tokens said in `samples` (16 kHz mono), without the start and end tokens, at most `limit` of them;
    /// `finished` is false when decoding stopped at the limit rather than at the end token.
    func decode(_ samples: [Float], limit: Int) throws(TranscriptionError) -> (tokens: [Int], finished: Bool) {
        let audio = try OnnxValue.floats(runtime, shape: [1, Int64(samples.count)], samples)
        guard let hidden = try encoder.run([("input_values", audio)], outputs: ["last_hidden_state"]).first else {
            throw TranscriptionError(.malformedReply, "Moonshine's encoder returned nothing")
        }
        var past: [String: OnnxValue] = [:]
        for entry in cache {
            let count = Int(entry.shape.reduce(1, *))
            past[entry.input] = try OnnxValue.floats(runtime, shape: entry.shape, [Float](repeating: 0, count: count))
        }
        var tokens: [Int] = []
        var last = Self.startToken
        for step in 0..<max(limit, 0) + 1 {
            let first = step == 0
            var inputs: [(name: String, value: OnnxValue)] = [
                ("input_ids", try OnnxValue.int64s(runtime, shape: [1, 1], [last])),
                ("encoder_hidden_states", hidden), ("use_cache_branch", try OnnxValue.bool(runtime, !first)),
            ]
            for entry in cache { if let value = past[entry.input] { inputs.append((entry.input, value)) } }
            // The cross-attention cache is computed on the first step only; later steps need not return it.
            let wanted = cache.filter { first || !$0.isCrossAttention }
            let outputs = try decoder.run(inputs, outputs: ["logits"] + wanted.map(\.output))
            for (entry, value) in zip(wanted, outputs.dropFirst()) { past[entry.input] = value }
            let token = try outputs[0].argmaxOfLast(vocabularySize)
            if token == Self.endToken { return (tokens, true) }
            if tokens.count == limit { break }
            tokens.append(token)
            last = Int64(token)
        }
        return (tokens, false)
    }
}
