// CImageCodecs: whole-image decode and encode calls around libpng and libjpeg.
//
// Why this C target exists: libjpeg reports errors by calling a handler that must not return
// (the default one calls exit()), and the only way to get control back is longjmp. Swift cannot
// call setjmp, so every libjpeg call sits inside one C function that sets its own jump point and
// returns an error string instead. libpng is used through its simplified API
// (png_image_*), which already reports failure as a return value, but its calls live here too so
// that Swift sees one shape of API for both formats. Nothing here keeps state between calls.
//
// It could go if Swift gained a safe way to wrap longjmp-based C error handling.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of cic_decode / cic_encode_*.
enum {
  CIC_OK = 0,
  CIC_BAD_DATA = 1,     // corrupt, truncated or not an image of a known format
  CIC_TOO_LARGE = 2,    // width * height over the caller's limit (found from the header)
  CIC_UNSUPPORTED = 3,  // a valid file convplay chooses not to read (for example CMYK JPEG)
  CIC_NO_MEMORY = 4,
};

/// File formats recognised by their first bytes.
enum { CIC_FORMAT_UNKNOWN = 0, CIC_FORMAT_PNG = 1, CIC_FORMAT_JPEG = 2 };

/// Colour models as stored in the file.
enum {
  CIC_COLOR_GRAY = 0,
  CIC_COLOR_GRAY_ALPHA = 1,
  CIC_COLOR_RGB = 2,
  CIC_COLOR_RGB_ALPHA = 3,
  CIC_COLOR_PALETTE = 4,
  CIC_COLOR_CMYK = 5,
};

/// What the file says about itself (header facts) and the decoded samples.
typedef struct {
  int format;              // CIC_FORMAT_*
  uint32_t width;          // columns
  uint32_t height;         // rows
  int color;               // CIC_COLOR_* as stored in the file
  int bit_depth;           // bits per sample in the file (PNG: 1, 2, 4, 8, 16; JPEG: 8)
  int interlaced;          // PNG Adam7 interlacing or progressive JPEG
  int palette_has_alpha;   // PNG palette with a tRNS chunk
  // Decoded samples, row-major, interleaved: samples_per_pixel values per pixel
  // (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), bytes_per_sample 1 (0...255, sRGB-encoded as stored)
  // or 2 (0...65535; for 16-bit files, where colour is premultiplied by alpha when alpha is
  // present: libpng's linear format). Allocated with malloc; release with cic_free.
  void *samples;
  int samples_per_pixel;
  int bytes_per_sample;
} cic_image;

/// Decodes a whole PNG or JPEG file held in memory.
///
/// Reads the header first and refuses images with more than max_pixels pixels before
/// allocating anything (width and height are still filled in for the message).
/// On failure returns a CIC_* code, writes a one-line reason to err (NUL-terminated, at most
/// err_size bytes) and leaves out->samples NULL.
int cic_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cic_image *out,
               char *err, size_t err_size);

/// Encodes 8-bit gray (channels 1) or RGB (channels 3) pixels, row-major and interleaved,
/// as PNG. On success *out (malloc'd, release with cic_free) holds *out_size bytes.
int cic_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                   uint8_t **out, size_t *out_size, char *err, size_t err_size);

/// Encodes 8-bit gray (channels 1) or RGB (channels 3) pixels as baseline JPEG at quality
/// 1...100. Same ownership rules as cic_encode_png.
int cic_encode_jpeg(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                    int quality, uint8_t **out, size_t *out_size, char *err, size_t err_size);

/// Releases memory returned by this module.
void cic_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
