import ArgumentParser

/// The `seq2seq` command-line tool.
@main
struct Seq2SeqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Train, evaluate, decode and benchmark sequence models, natively in Swift.",
        subcommands: [
            Train.self, Translate.self, Evaluate.self, Score.self, SentencePiece.self, Bench.self,
            Import.self, Generate.self, TaskCommand.self,
        ])
}
