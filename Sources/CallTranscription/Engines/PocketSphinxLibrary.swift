import AudioCore
import CPocketSphinx
import Foundation

/// PocketSphinx's C API, loaded at run time with `dlopen` the first time the embedded engine runs: the
/// functions the engine calls, looked up by name, and the one configuration it uses.
struct PocketSphinxLibrary: Sendable {
    let free: cps_free
    let startUtterance: cps_start_utt
    let processRaw: cps_process_raw
    let endUtterance: cps_end_utt
    let firstSegment: cps_seg_iter
    let nextSegment: cps_seg_next
    let segmentWord: cps_seg_word
    let segmentFrames: cps_seg_frames
    private let arguments: cps_args
    private let parse: cps_cmd_ln_parse_r
    private let freeConfiguration: cps_cmd_ln_free_r
    private let setLogFile: cps_err_set_logfp
    private let initialize: cps_init

    /// The library Debian's `libpocketsphinx3` installs, loaded once per process.
    static let shared = Result { () throws(SharedLibrary.LoadError) in
        try PocketSphinxLibrary(SharedLibrary("libpocketsphinx.so.3"))
    }

    private init(_ library: SharedLibrary) throws(SharedLibrary.LoadError) {
        free = try library.function("ps_free", as: cps_free.self)
        startUtterance = try library.function("ps_start_utt", as: cps_start_utt.self)
        processRaw = try library.function("ps_process_raw", as: cps_process_raw.self)
        endUtterance = try library.function("ps_end_utt", as: cps_end_utt.self)
        firstSegment = try library.function("ps_seg_iter", as: cps_seg_iter.self)
        nextSegment = try library.function("ps_seg_next", as: cps_seg_next.self)
        segmentWord = try library.function("ps_seg_word", as: cps_seg_word.self)
        segmentFrames = try library.function("ps_seg_frames", as: cps_seg_frames.self)
        arguments = try library.function("ps_args", as: cps_args.self)
        parse = try library.function("cmd_ln_parse_r", as: cps_cmd_ln_parse_r.self)
        freeConfiguration = try library.function("cmd_ln_free_r", as: cps_cmd_ln_free_r.self)
        setLogFile = try library.function("err_set_logfp", as: cps_err_set_logfp.self)
        initialize = try library.function("ps_init", as: cps_init.self)
    }

    /// A decoder for the acoustic model folder `hmm`, language model `lm` and dictionary `dict`, with the
    /// settings measured fastest at no loss of accuracy (-maxhmmpf 3000 -fwdflat no -bestpath no) and the
    /// library's logging off; nil when the model files cannot be loaded.
    func makeDecoder(hmm: String, lm: String, dict: String) -> UnsafeMutableRawPointer? {
        setLogFile(nil)
        let options = [
            "-hmm", hmm, "-lm", lm, "-dict", dict, "-maxhmmpf", "3000", "-fwdflat", "no", "-bestpath", "no",
            "-samprate", "16000",
        ]
        var argv = options.map { strdup($0) }
        defer { for argument in argv { Foundation.free(argument) } }
        guard let configuration = parse(nil, arguments(), Int32(argv.count), &argv, 1) else { return nil }
        defer { _ = freeConfiguration(configuration) }
        return initialize(configuration)
    }
}
