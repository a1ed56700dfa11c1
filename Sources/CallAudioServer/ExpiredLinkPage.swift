/// What a browser shows for a player link that has expired (or was altered, or names a recording that is gone:
/// the page says the same for each, so that a link cannot be used to learn which recordings exist).
enum ExpiredLinkPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>This link has expired</title>
        <style>
        body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 40rem; color: #222; }
        </style>
        </head>
        <body>
        <h1>This link has expired</h1>
        <p id="link-expired">This recording link has expired or is not valid. Open the recording again from where \
        you found the link to get a new one.</p>
        </body>
        </html>
        """
}
