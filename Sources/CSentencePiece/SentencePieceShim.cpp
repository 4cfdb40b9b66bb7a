#include "SentencePieceShim.h"
#include <sentencepiece_processor.h>

struct SPShimProcessor {
    sentencepiece::SentencePieceProcessor processor;
};
