#ifndef SEQ2SEQ_SENTENCEPIECE_SHIM_H
#define SEQ2SEQ_SENTENCEPIECE_SHIM_H
/* Plain C API over SentencePiece; the library's C++ never reaches Swift. */
#ifdef __cplusplus
extern "C" {
#endif
/* An opaque loaded model. */
typedef struct SPShimProcessor SPShimProcessor;
#ifdef __cplusplus
}
#endif
#endif
