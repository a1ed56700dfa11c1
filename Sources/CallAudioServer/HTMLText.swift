/// Text put into the HTML the service renders, escaped so that whatever the platform or a job wrote (a name like
/// `<script>`, a quote in an error) shows as text, in element content and in quoted attributes alike.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
