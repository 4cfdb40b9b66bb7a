// OpenBLAS's CBLAS interface; the include path comes from pkg-config `openblas`.
#include <cblas.h>

// Whether C code is compiled for fused multiply-add (scripts/run's `-Xcc -march=haswell`, which
// Swift's importer sees too): Swift kernels may then use `addProduct`, which without the
// instruction becomes a libm call per lane.
#if defined(__FMA__)
#define SEQ_TARGET_HAS_FMA 1
#else
#define SEQ_TARGET_HAS_FMA 0
#endif
