import ArgumentParser
import CallAudio
import CallAudioCLI
import CallAudioJobs
import CallRecordings
import Foundation
import Jobs

/// `callaudio-server delete ID`: the service's one deletion path, from the command line.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a recording and everything made from it (as DELETE /v1/recordings/{id}).",
        discussion: """
            Removes the recording's files under --storage, every object of it from a bucket (its stored inputs, MP3 and speed copies, waveform, \
            transcripts, report and email copies), cancels its job if still pending, and so revokes every media \
            URL issued for it. Exits 0 when deleted, 69 when there is no such recording.

            Example:
              callaudio-server delete 3f2a9c0d1e4b5a6978877665 --queue sqlite:/var/lib/callaudio/jobs.db \\
                --storage /var/lib/callaudio/storage
            """)

    @Argument(help: "The recording id (as in the URL /v1/recordings/ID).")
    var id: String

    @OptionGroup var place: CatalogPlace

    func run() async throws {
        try await place.withService { service in
            do {
                try await service.delete(id)
            } catch RecordingService.Failure.notFound {
                throw exitWith(69, "\(id): no such recording under \(place.storage)")
            }
            print("deleted \(id)")
        }
    }
}
