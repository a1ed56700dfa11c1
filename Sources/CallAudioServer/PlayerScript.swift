/// `GET /player.js`: the player page's behaviour, our own small script (no framework, no build step).
///
/// Speed buttons set `playbackRate` with `preservesPitch`; the seek bar draws the waveform peaks (one band per
/// leg), seeks on click and drag, and is an ARIA slider driven by the keyboard; transcript lines follow playback
/// and seek when clicked; `#t=SECONDS` in the address starts there; "Generate transcript" (and "Try again")
/// POSTs the signed request URL; while the recording or its transcript is being made, the page polls its status
/// and swaps in what the server renders once it changes.
enum PlayerScript {
    /// `Resources/player.js`, embedded in the binary at build time (and checked by `node --check` in the tests).
    static let source = String(decoding: PackageResources.player_js, as: UTF8.self)
}
