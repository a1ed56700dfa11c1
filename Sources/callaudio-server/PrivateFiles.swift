import Foundation

/// Makes every file and folder this process creates from now on readable by its own user only (umask 077):
/// recordings, stored inputs, speed copies, the SQLite queue and its WAL hold people's calls, and the job
/// attempts this process starts inherit the mask.
func makeCreatedFilesPrivate() {
    umask(0o077)
}
