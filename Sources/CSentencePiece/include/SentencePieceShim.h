#ifndef SEQ2SEQ_SENTENCEPIECE_SHIM_H
#define SEQ2SEQ_SENTENCEPIECE_SHIM_H
/* Plain C API over SentencePiece; the library's C++ never reaches Swift.
 *
 * Conventions:
 * - Text goes in as (pointer, byte length) UTF-8, so it may contain NUL bytes.
 * - Functions that can fail return 1 on success and 0 on failure; on failure `*error` receives a
 *   message allocated with malloc (free it with spshim_free_buffer), and no other out-parameter
 *   needs freeing. `error` may be NULL when the caller does not want the message.
 * - Every buffer handed out is allocated with malloc and owned by the caller, who frees it with
 *   the matching free function below.
 * - No C++ exception escapes: each function catches everything and reports it as an error.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque loaded model. */
typedef struct SPShimProcessor SPShimProcessor;

/* Frees a byte buffer handed out by this API (error messages, text, pieces, serialized models). */
void spshim_free_buffer(void *buffer);

/* Loads a model from a `.model` file (a serialized ModelProto); NULL on failure. */
SPShimProcessor *spshim_load_file(const char *path, char **error);

/* Loads a model from the bytes of a serialized ModelProto; NULL on failure. */
SPShimProcessor *spshim_load_bytes(const char *bytes, size_t size, char **error);

/* Frees a model returned by a load or train function; NULL is ignored. */
void spshim_free_processor(SPShimProcessor *processor);

/* Writes the model's serialized ModelProto (the `.model` file's bytes) to `*bytes`/`*size`. */
int spshim_serialize(const SPShimProcessor *processor, char **bytes, size_t *size, char **error);

/* The number of pieces in the vocabulary. */
int32_t spshim_piece_count(const SPShimProcessor *processor);

/* The id of `piece`, or -1 when the piece is not in the vocabulary. */
int32_t spshim_piece_to_id(const SPShimProcessor *processor, const char *piece, size_t length);

/* The piece of `id` (not NUL-terminated) in `*piece`/`*length`; 0 when `id` is out of range. */
int spshim_id_to_piece(
    const SPShimProcessor *processor, int32_t id, char **piece, size_t *length);

/* Special ids; -1 when the model defines none. */
int32_t spshim_unknown_id(const SPShimProcessor *processor);
int32_t spshim_start_id(const SPShimProcessor *processor);
int32_t spshim_end_id(const SPShimProcessor *processor);
int32_t spshim_pad_id(const SPShimProcessor *processor);

/* Encodes UTF-8 text to ids; `*ids` holds `*count` ids (free with spshim_free_buffer). */
int spshim_encode_ids(
    const SPShimProcessor *processor, const char *text, size_t length,
    int32_t **ids, size_t *count, char **error);

/* Encodes UTF-8 text to pieces: `*bytes` holds the pieces back to back and `*lengths` their
 * `*count` byte lengths (free both with spshim_free_buffer). */
int spshim_encode_pieces(
    const SPShimProcessor *processor, const char *text, size_t length,
    char **bytes, size_t **lengths, size_t *count, char **error);

/* Decodes ids to UTF-8 text in `*text`/`*length`; fails when an id is out of range. */
int spshim_decode_ids(
    const SPShimProcessor *processor, const int32_t *ids, size_t count,
    char **text, size_t *length, char **error);

/* Trains a model on in-memory sentences with SentencePieceTrainer::Train(kwargs), where the
 * kwargs are `option_count` pairs of NUL-terminated `keys[i]`=`values[i]` (the flags of
 * spm_train, e.g. "vocab_size"="8000"; "input" and "model_prefix" are not needed). Sentence i is
 * `sentences[i]` with `sentence_lengths[i]` bytes. The trained model is returned as a loaded
 * processor; nothing is written to disk. */
SPShimProcessor *spshim_train(
    const char *const *keys, const char *const *values, size_t option_count,
    const char *const *sentences, const size_t *sentence_lengths, size_t sentence_count,
    char **error);

#ifdef __cplusplus
}
#endif
#endif
