// zlib for ConvData's gzip reader (MNIST's IDX files ship gzipped; Foundation on Linux has no
// gzip). Only ConvData imports this module. Swift cannot call the inflateInit2 macro, so
// ConvData calls inflateInit2_ with ZLIB_VERSION and the z_stream size, as the macro does.
#include <zlib.h>
