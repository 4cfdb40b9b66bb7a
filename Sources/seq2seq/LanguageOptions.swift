import ArgumentParser
import Seq2Seq

/// The language codes of a multilingual model (mBART), for `translate` and `evaluate`.
struct LanguageOptions: ParsableArguments {
    @Option(
        name: .customLong("source-lang"),
        help: "mBART: the language code of the source, such as en_XX (default: the model's).")
    var sourceLanguage: String?

    @Option(
        name: .customLong("target-lang"),
        help: "mBART: the language code of the translation, forced as its first token.")
    var targetLanguage: String?

    /// What follows the pieces of every source of `loaded`, and `settings` forcing the target
    /// language; `nil` for the model's usual end token.
    ///
    /// - Throws: `ValidationError` for a language option on a model without language codes,
    ///   or an unknown code.
    func sourceEnding(for loaded: LoadedModel, settings: inout SearchSettings) throws -> [Int32]? {
        guard let tokenizer = loaded.tokenizer as? MBartTokenizer else {
            if sourceLanguage != nil || targetLanguage != nil {
                throw ValidationError(
                    "--source-lang and --target-lang apply to mBART models; this model's "
                        + "tokenizer has no language codes")
            }
            return nil
        }
        if let targetLanguage {
            settings.generation.forcedFirstID = try id(
                of: targetLanguage, "--target-lang", tokenizer)
        }
        let source = sourceLanguage ?? loaded.description.sourceLanguage ?? "en_XX"
        return try tokenizer.sourceSuffix(language: source) ?? [
            id(of: source, "--source-lang", tokenizer)
        ]
    }

    private func id(of code: String, _ option: String, _ tokenizer: MBartTokenizer) throws -> Int32
    {
        guard let id = tokenizer.languageID(code) else {
            throw ValidationError(
                "\(option) \(code) is not an mBART language code; known: "
                    + MBartTokenizer.languageCodes.joined(separator: ", "))
        }
        return id
    }
}
