import CallPrompts
import CallRecordings

/// The page that records a prompt in the browser: what it is for, `Record`, `Stop` and `Save` buttons, a
/// preview to play before saving, and a status line. The behaviour is `prompt-recorder.js`: `MediaRecorder` in
/// whatever format the browser offers (WebM/Opus in Chrome and Firefox, MP4/AAC in Safari), uploaded to the
/// page's own signed address.
struct PromptRecorderPage {
    var fields: PromptFields
    /// The page's own path and signed query, where the recording is posted.
    var uploadURL: String

    /// `Resources/prompt-recorder.js`, embedded in the binary at build time (and checked by `node --check` in the
    /// tests).
    static let script = String(decoding: PackageResources.prompt_recorder_js, as: UTF8.self)

    var title: String {
        switch fields.kind {
        case .greeting: "Record your voicemail greeting"
        case .drop: "Record your voicemail drop"
        case .disclosure: "Record the recording disclosure"
        }
    }

    var html: String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 40rem; color: #222; }
        .controls button { font: inherit; margin: 0 .25rem .5rem 0; padding: .4rem .9rem; }
        #preview { display: block; width: 100%; margin: .5rem 0; }
        #status { min-height: 1.4em; }
        </style>
        <script src="/prompt-recorder.js" defer></script>
        </head>
        <body data-upload-url="\(HTMLText.escape(uploadURL))">
        <h1>\(HTMLText.escape(title))</h1>
        <p id="prompt-name">\(HTMLText.escape(fields.name))</p>
        <p>Press Record and speak; press Stop when you are done. Listen to it, then Save, or Record again. \
        A \(fields.kind.rawValue) may last up to \(Int(fields.kind.maximumSeconds)) seconds.</p>
        <div class="controls">
        <button type="button" id="record">Record</button>
        <button type="button" id="stop" disabled>Stop</button>
        <button type="button" id="save" disabled>Save</button>
        </div>
        <audio id="preview" controls hidden></audio>
        <p id="status" role="status" aria-live="polite"></p>
        </body>
        </html>
        """
    }
}
