import ArgumentParser

@main
struct Seq2SeqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seq2seq")
}
