#include "SentencePieceShim.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct SPShimProcessor {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

// Copies `bytes` into a malloc'd buffer (one spare NUL byte, so text is also a C string).
char *copyBytes(std::string_view bytes) {
    auto *buffer = static_cast<char *>(std::malloc(bytes.size() + 1));
    if (buffer == nullptr) throw std::bad_alloc();
    std::memcpy(buffer, bytes.data(), bytes.size());
    buffer[bytes.size()] = '\0';
    return buffer;
}

void setError(char **error, std::string_view message) {
    if (error == nullptr) return;
    // If even the message cannot be allocated, the caller still sees the failure code.
    auto *buffer = static_cast<char *>(std::malloc(message.size() + 1));
    if (buffer == nullptr) {
        *error = nullptr;
        return;
    }
    std::memcpy(buffer, message.data(), message.size());
    buffer[message.size()] = '\0';
    *error = buffer;
}

// Runs `body`, turning a failed status or any exception into 0 plus an error message.
template <typename Body> int guarded(char **error, Body body) {
    try {
        const auto status = body();
        if (status.ok()) return 1;
        setError(error, status.message());
    } catch (const std::exception &exception) {
        setError(error, exception.what());
    } catch (...) {
        setError(error, "unknown C++ exception");
    }
    return 0;
}

// Feeds in-memory sentences to the trainer.
class ArraySentenceIterator : public sentencepiece::SentenceIterator {
public:
    ArraySentenceIterator(const char *const *sentences, const size_t *lengths, size_t count)
        : sentences_(sentences), lengths_(lengths), count_(count) { load(); }
    bool done() const override { return index_ >= count_; }
    void Next() override {
        ++index_;
        load();
    }
    const std::string &value() const override { return value_; }
    sentencepiece::util::Status status() const override { return {}; }

private:
    void load() {
        if (index_ < count_) value_.assign(sentences_[index_], lengths_[index_]);
    }
    const char *const *sentences_;
    const size_t *lengths_;
    size_t count_;
    size_t index_ = 0;
    std::string value_;
};

sentencepiece::util::Status outOfRange(int32_t id, int size) {
    return {sentencepiece::util::StatusCode::kOutOfRange,
            "id " + std::to_string(id) + " is outside the vocabulary of " +
                std::to_string(size) + " pieces"};
}

}  // namespace

extern "C" {

void spshim_free_buffer(void *buffer) { std::free(buffer); }

SPShimProcessor *spshim_load_file(const char *path, char **error) {
    SPShimProcessor *result = nullptr;
    guarded(error, [&] {
        auto model = std::make_unique<SPShimProcessor>();
        auto status = model->processor.Load(path);
        if (status.ok()) result = model.release();
        return status;
    });
    return result;
}

SPShimProcessor *spshim_load_bytes(const char *bytes, size_t size, char **error) {
    SPShimProcessor *result = nullptr;
    guarded(error, [&] {
        auto model = std::make_unique<SPShimProcessor>();
        auto status = model->processor.LoadFromSerializedProto(std::string_view(bytes, size));
        if (status.ok()) result = model.release();
        return status;
    });
    return result;
}

void spshim_free_processor(SPShimProcessor *processor) { delete processor; }

int spshim_serialize(const SPShimProcessor *processor, char **bytes, size_t *size, char **error) {
    return guarded(error, [&] {
        const std::string serialized = processor->processor.serialized_model_proto();
        *bytes = copyBytes(serialized);
        *size = serialized.size();
        return sentencepiece::util::Status();
    });
}

int32_t spshim_piece_count(const SPShimProcessor *processor) {
    return processor->processor.GetPieceSize();
}

int32_t spshim_piece_to_id(const SPShimProcessor *processor, const char *piece, size_t length) {
    try {
        const std::string_view wanted(piece, length);
        // PieceToId answers the unknown id for pieces it does not know; check the round trip.
        const int id = processor->processor.PieceToId(wanted);
        if (id < 0 || id >= processor->processor.GetPieceSize()) return -1;
        return processor->processor.IdToPiece(id) == wanted ? id : -1;
    } catch (...) {
        return -1;
    }
}

int spshim_id_to_piece(
    const SPShimProcessor *processor, int32_t id, char **piece, size_t *length) {
    if (id < 0 || id >= processor->processor.GetPieceSize()) return 0;
    return guarded(nullptr, [&] {
        const std::string &text = processor->processor.IdToPiece(id);
        *piece = copyBytes(text);
        *length = text.size();
        return sentencepiece::util::Status();
    });
}

int32_t spshim_unknown_id(const SPShimProcessor *processor) { return processor->processor.unk_id(); }
int32_t spshim_start_id(const SPShimProcessor *processor) { return processor->processor.bos_id(); }
int32_t spshim_end_id(const SPShimProcessor *processor) { return processor->processor.eos_id(); }
int32_t spshim_pad_id(const SPShimProcessor *processor) { return processor->processor.pad_id(); }

int spshim_encode_ids(
    const SPShimProcessor *processor, const char *text, size_t length,
    int32_t **ids, size_t *count, char **error) {
    return guarded(error, [&] {
        std::vector<int> encoded;
        auto status = processor->processor.Encode(std::string_view(text, length), &encoded);
        if (!status.ok()) return status;
        // One spare element keeps malloc(0) out of the picture.
        auto *buffer = static_cast<int32_t *>(std::malloc((encoded.size() + 1) * sizeof(int32_t)));
        if (buffer == nullptr) throw std::bad_alloc();
        for (size_t i = 0; i < encoded.size(); ++i) buffer[i] = encoded[i];
        *ids = buffer;
        *count = encoded.size();
        return status;
    });
}

int spshim_encode_pieces(
    const SPShimProcessor *processor, const char *text, size_t length,
    char **bytes, size_t **lengths, size_t *count, char **error) {
    return guarded(error, [&] {
        std::vector<std::string> pieces;
        auto status = processor->processor.Encode(std::string_view(text, length), &pieces);
        if (!status.ok()) return status;
        std::string joined;
        for (const auto &piece : pieces) joined += piece;
        // Both buffers or neither: the text is freed if the lengths cannot be allocated.
        char *joinedCopy = copyBytes(joined);
        auto *sizes = static_cast<size_t *>(std::malloc((pieces.size() + 1) * sizeof(size_t)));
        if (sizes == nullptr) {
            std::free(joinedCopy);
            throw std::bad_alloc();
        }
        for (size_t i = 0; i < pieces.size(); ++i) sizes[i] = pieces[i].size();
        *bytes = joinedCopy;
        *lengths = sizes;
        *count = pieces.size();
        return status;
    });
}

int spshim_decode_ids(
    const SPShimProcessor *processor, const int32_t *ids, size_t count,
    char **text, size_t *length, char **error) {
    return guarded(error, [&] {
        const int size = processor->processor.GetPieceSize();
        std::vector<int> checked(count);
        for (size_t i = 0; i < count; ++i) {
            if (ids[i] < 0 || ids[i] >= size) return outOfRange(ids[i], size);
            checked[i] = ids[i];
        }
        std::string decoded;
        auto status = processor->processor.Decode(checked, &decoded);
        if (!status.ok()) return status;
        *text = copyBytes(decoded);
        *length = decoded.size();
        return status;
    });
}

SPShimProcessor *spshim_train(
    const char *const *keys, const char *const *values, size_t option_count,
    const char *const *sentences, const size_t *sentence_lengths, size_t sentence_count,
    char **error) {
    SPShimProcessor *result = nullptr;
    guarded(error, [&] {
        std::unordered_map<std::string, std::string> options;
        for (size_t i = 0; i < option_count; ++i) options[keys[i]] = values[i];
        ArraySentenceIterator iterator(sentences, sentence_lengths, sentence_count);
        std::string serialized;
        auto status = sentencepiece::SentencePieceTrainer::Train(options, &iterator, &serialized);
        if (!status.ok()) return status;
        auto model = std::make_unique<SPShimProcessor>();
        status = model->processor.LoadFromSerializedProto(serialized);
        if (status.ok()) result = model.release();
        return status;
    });
    return result;
}

}  // extern "C"
