import ArgumentParser

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encode")
}
