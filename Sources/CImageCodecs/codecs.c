// Whole-call PNG and JPEG codecs for convplay. See include/CImageCodecs.h for why this exists.
// Every setjmp in convplay is in this file; each public function sets its own jump point before
// calling libjpeg and never lets a longjmp cross into Swift.
#include "CImageCodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <jerror.h>

void cic_free(void *p) { free(p); }

static void cic_set_error(char *err, size_t err_size, const char *fmt, ...) {
  if (err == NULL || err_size == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_size, fmt, ap);
  va_end(ap);
}

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

static int cic_too_large(cic_image *out, uint64_t max_pixels, char *err, size_t err_size) {
  uint64_t pixels = (uint64_t)out->width * (uint64_t)out->height;
  if (pixels > max_pixels) {
    cic_set_error(err, err_size, "image is %ux%u = %llu pixels, over the limit of %llu",
                  out->width, out->height, (unsigned long long)pixels,
                  (unsigned long long)max_pixels);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// PNG through libpng's simplified API: failures come back as a 0 return and image.message.

/// Copies a PNG into `dst` (at least `size` bytes) without its gAMA, sRGB, iCCP and cHRM chunks;
/// returns the copy's length. Anything malformed is copied unchanged for libpng to judge.
static size_t cic_png_without_color_chunks(const uint8_t *src, size_t size, uint8_t *dst) {
  size_t in = 8, out = 8;
  memcpy(dst, src, size < 8 ? size : 8);
  while (in + 12 <= size) {
    size_t length = ((size_t)src[in] << 24) | ((size_t)src[in + 1] << 16) |
                    ((size_t)src[in + 2] << 8) | (size_t)src[in + 3];
    if (length > size - in - 12) break;
    const uint8_t *type = src + in + 4;
    size_t total = length + 12;
    int color_chunk = memcmp(type, "gAMA", 4) == 0 || memcmp(type, "sRGB", 4) == 0 ||
                      memcmp(type, "iCCP", 4) == 0 || memcmp(type, "cHRM", 4) == 0;
    if (!color_chunk) {
      memcpy(dst + out, src + in, total);
      out += total;
    }
    in += total;
  }
  memcpy(dst + out, src + in, size - in);
  return out + (size - in);
}

static int cic_decode_png(const uint8_t *data, size_t size, uint64_t max_pixels, cic_image *out,
                          char *err, size_t err_size) {
  // Header facts the simplified API does not expose (bit depth, palette, interlace) come from
  // the IHDR chunk, which the PNG specification requires to be first. libpng validates it.
  if (size >= 33 && memcmp(data + 12, "IHDR", 4) == 0) {
    int color_type = data[25];
    out->bit_depth = data[24];
    out->interlaced = data[28] == 1;
    switch (color_type) {
      case 0: out->color = CIC_COLOR_GRAY; break;
      case 2: out->color = CIC_COLOR_RGB; break;
      case 3: out->color = CIC_COLOR_PALETTE; break;
      case 4: out->color = CIC_COLOR_GRAY_ALPHA; break;
      case 6: out->color = CIC_COLOR_RGB_ALPHA; break;
      default: break;  // libpng refuses it below
    }
  }

  // convplay shows the numbers stored in the file, as NumPy, PIL and the course do. libpng's
  // simplified API would colour-manage instead (a gAMA 1.0 file's 128 reads as 186), so the
  // colour-space chunks are left out of the copy libpng sees.
  uint8_t *plain = malloc(size);
  if (plain == NULL) {
    cic_set_error(err, err_size, "not enough memory to read the PNG");
    return CIC_NO_MEMORY;
  }
  size_t plain_size = cic_png_without_color_chunks(data, size, plain);

  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, plain, plain_size)) {
    cic_set_error(err, err_size, "corrupt PNG: %s", image.message);
    png_image_free(&image);
    free(plain);
    return CIC_BAD_DATA;
  }
  out->width = image.width;
  out->height = image.height;
  if (cic_too_large(out, max_pixels, err, err_size)) {
    png_image_free(&image);
    free(plain);
    return CIC_TOO_LARGE;
  }
  // Deflate cannot expand data more than 1032 times, and a pixel takes at least one bit of the
  // inflated rows, so a file of `size` bytes holds at most 8 * 1032 * size pixels: a header that
  // claims more is damage (or a bomb), refused before the pixel buffer is allocated.
  uint64_t most_pixels = (uint64_t)size * 8 * 1032 + 64;
  if ((uint64_t)image.width * image.height > most_pixels) {
    cic_set_error(err, err_size,
                  "corrupt PNG: a %ux%u image cannot come from %zu bytes (the file is truncated or damaged)",
                  image.width, image.height, size);
    png_image_free(&image);
    free(plain);
    return CIC_BAD_DATA;
  }
  int color = (image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  int alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  out->palette_has_alpha = out->color == CIC_COLOR_PALETTE && alpha;
  // 16-bit files are read as 16-bit: libpng's linear format, which for a file without gAMA or
  // sRGB chunks is the stored values unchanged (the simplified API assumes such files linear).
  int wide = out->bit_depth == 16;
  image.format = (color ? PNG_FORMAT_FLAG_COLOR : 0) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0) |
                 (wide ? PNG_FORMAT_FLAG_LINEAR : 0);
  out->samples_per_pixel = (color ? 3 : 1) + (alpha ? 1 : 0);
  out->bytes_per_sample = wide ? 2 : 1;

  uint64_t bytes = (uint64_t)image.width * image.height * out->samples_per_pixel *
                   out->bytes_per_sample;
  void *buffer = bytes <= SIZE_MAX ? malloc((size_t)bytes) : NULL;
  if (buffer == NULL) {
    cic_set_error(err, err_size, "not enough memory for a %ux%u image", image.width,
                  image.height);
    png_image_free(&image);
    free(plain);
    return CIC_NO_MEMORY;
  }
  if (!png_image_finish_read(&image, NULL, buffer, 0, NULL)) {
    cic_set_error(err, err_size, "corrupt PNG: %s", image.message);
    free(buffer);
    png_image_free(&image);
    free(plain);
    return CIC_BAD_DATA;
  }
  png_image_free(&image);
  free(plain);
  out->samples = buffer;
  return CIC_OK;
}

int cic_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                   uint8_t **out, size_t *out_size, char *err, size_t err_size) {
  *out = NULL;
  *out_size = 0;
  if (channels != 1 && channels != 3) {
    cic_set_error(err, err_size, "PNG output takes 1 (gray) or 3 (RGB) channels, not %d",
                  channels);
    return CIC_UNSUPPORTED;
  }
  png_image image;
  memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  // First call measures, second call writes (libpng's documented two-step use).
  if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, 0, NULL)) {
    cic_set_error(err, err_size, "PNG encoder: %s", image.message);
    png_image_free(&image);
    return CIC_BAD_DATA;
  }
  uint8_t *buffer = malloc(size);
  if (buffer == NULL) {
    png_image_free(&image);
    cic_set_error(err, err_size, "not enough memory to encode PNG");
    return CIC_NO_MEMORY;
  }
  if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels, 0, NULL)) {
    cic_set_error(err, err_size, "PNG encoder: %s", image.message);
    free(buffer);
    png_image_free(&image);
    return CIC_BAD_DATA;
  }
  png_image_free(&image);
  *out = buffer;
  *out_size = size;
  return CIC_OK;
}

// ---------------------------------------------------------------------------------------------
// JPEG through libjpeg with an error manager that longjmps back here instead of exiting.

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  // Where decoding is: 0 header, 1 jpeg_start_decompress (a progressive file's scans are read
  // here), 2 reading rows, 3 after the last row. Decoders only.
  int phase;
  // How many times bytes were out of place in the image data (each time, the restart interval
  // before them was decoded wrong), and libjpeg's first message about it.
  long damaged_intervals;
  char damage[JMSG_LENGTH_MAX];
} cic_jpeg_error;

static void cic_jpeg_error_exit(j_common_ptr cinfo) {
  cic_jpeg_error *e = (cic_jpeg_error *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, e->message);
  longjmp(e->jump, 1);
}

/// Warnings are silent, except those that mean image data is missing or damaged: libjpeg would
/// go on and fill the rest of the picture with gray or garbage, which convplay refuses instead.
/// Bytes out of place ("N extraneous bytes before marker") are harmless between the header's
/// markers or after the last row, but inside the image data they mean the decoder fell out of
/// step: libjpeg skips them and goes on from the next restart marker, leaving the interval
/// before it wrong (up to half a picture, exit 0, before). They are counted, and the decoder
/// refuses the picture once it knows how much of it is affected.
static void cic_jpeg_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  int code = cinfo->err->msg_code;
  cic_jpeg_error *e = (cic_jpeg_error *)cinfo->err;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE ||
      code == JWRN_MUST_RESYNC) {
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
  }
  if (code == JWRN_EXTRANEOUS_DATA && cinfo->is_decompressor && (e->phase == 1 || e->phase == 2)) {
    if (e->damaged_intervals++ == 0) (*cinfo->err->format_message)(cinfo, e->damage);
  }
  cinfo->err->num_warnings++;
}

static void cic_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void cic_jpeg_install(cic_jpeg_error *e) {
  jpeg_std_error(&e->pub);
  e->pub.error_exit = cic_jpeg_error_exit;
  e->pub.emit_message = cic_jpeg_emit_message;
  e->pub.output_message = cic_jpeg_output_message;
  e->message[0] = 0;
  e->phase = 0;
  e->damaged_intervals = 0;
  e->damage[0] = 0;
}

static int cic_decode_jpeg(const uint8_t *data, size_t size, uint64_t max_pixels,
                           cic_image *out, char *err, size_t err_size) {
  struct jpeg_decompress_struct cinfo;
  cic_jpeg_error jerr;
  // Changed after setjmp and read after longjmp: must be volatile.
  uint8_t *volatile buffer = NULL;
  volatile int status = CIC_BAD_DATA;

  cinfo.err = NULL;
  cic_jpeg_install(&jerr);
  cinfo.err = &jerr.pub;
  if (setjmp(jerr.jump)) {
    if (status == CIC_BAD_DATA) cic_set_error(err, err_size, "corrupt JPEG: %s", jerr.message);
    free(buffer);
    jpeg_destroy_decompress(&cinfo);
    return status;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);
  out->width = cinfo.image_width;
  out->height = cinfo.image_height;
  out->bit_depth = cinfo.data_precision;
  out->interlaced = cinfo.progressive_mode ? 1 : 0;
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: out->color = CIC_COLOR_GRAY; break;
    case JCS_CMYK:
    case JCS_YCCK: out->color = CIC_COLOR_CMYK; break;
    default: out->color = CIC_COLOR_RGB; break;
  }
  if (out->color == CIC_COLOR_CMYK) {
    cic_set_error(err, err_size,
                  "CMYK JPEG is not supported (print colours): convert it to RGB first");
    jpeg_destroy_decompress(&cinfo);
    return CIC_UNSUPPORTED;
  }
  if (cic_too_large(out, max_pixels, err, err_size)) {
    jpeg_destroy_decompress(&cinfo);
    return CIC_TOO_LARGE;
  }
  cinfo.out_color_space = out->color == CIC_COLOR_GRAY ? JCS_GRAYSCALE : JCS_RGB;
  jerr.phase = 1;
  jpeg_start_decompress(&cinfo);
  jerr.phase = 2;
  int components = cinfo.output_components;
  size_t row_bytes = (size_t)cinfo.output_width * (size_t)components;
  uint64_t bytes = (uint64_t)row_bytes * cinfo.output_height;
  buffer = bytes <= SIZE_MAX ? malloc((size_t)bytes) : NULL;
  if (buffer == NULL) {
    status = CIC_NO_MEMORY;
    cic_set_error(err, err_size, "not enough memory for a %ux%u image", out->width,
                  out->height);
    jpeg_destroy_decompress(&cinfo);
    return status;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = buffer + (size_t)cinfo.output_scanline * row_bytes;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jerr.phase = 3;
  if (jerr.damaged_intervals > 0) {
    // With restart markers the damage stays inside the intervals that ended out of step;
    // without them (or in a progressive file) everything after the first error may be wrong.
    long intervals = 0;
    if (cinfo.restart_interval > 0 && !cinfo.progressive_mode) {
      long mcus = (long)cinfo.MCUs_per_row * (long)cinfo.MCU_rows_in_scan;
      intervals = (mcus + (long)cinfo.restart_interval - 1) / (long)cinfo.restart_interval;
    }
    if (intervals > 0) {
      long damaged = jerr.damaged_intervals < intervals ? jerr.damaged_intervals : intervals;
      cic_set_error(err, err_size,
                    "corrupt JPEG: bytes out of place in the image data (%s): %ld of its %ld restart "
                    "intervals (about %ld%% of the picture) may be decoded wrong",
                    jerr.damage, damaged, intervals, (damaged * 100 + intervals - 1) / intervals);
    } else {
      cic_set_error(err, err_size,
                    "corrupt JPEG: bytes out of place in the image data (%s): the decoder fell out of step, "
                    "so any part of the picture may be wrong",
                    jerr.damage);
    }
    free(buffer);
    jpeg_destroy_decompress(&cinfo);
    return CIC_BAD_DATA;
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  out->samples = buffer;
  out->samples_per_pixel = components;
  out->bytes_per_sample = 1;
  return CIC_OK;
}

typedef struct {
  unsigned char *memory;
  unsigned long size;
} cic_jpeg_destination;

int cic_encode_jpeg(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                    int quality, uint8_t **out, size_t *out_size, char *err, size_t err_size) {
  *out = NULL;
  *out_size = 0;
  if (channels != 1 && channels != 3) {
    cic_set_error(err, err_size, "JPEG output takes 1 (gray) or 3 (RGB) channels, not %d",
                  channels);
    return CIC_UNSUPPORTED;
  }
  struct jpeg_compress_struct cinfo;
  cic_jpeg_error jerr;
  // libjpeg updates the destination through a pointer during compression; keeping it in heap
  // memory makes its value well defined after a longjmp.
  cic_jpeg_destination *dest = calloc(1, sizeof *dest);
  if (dest == NULL) {
    cic_set_error(err, err_size, "not enough memory to encode JPEG");
    return CIC_NO_MEMORY;
  }
  cic_jpeg_install(&jerr);
  cinfo.err = &jerr.pub;
  if (setjmp(jerr.jump)) {
    cic_set_error(err, err_size, "JPEG encoder: %s", jerr.message);
    jpeg_destroy_compress(&cinfo);
    free(dest->memory);
    free(dest);
    return CIC_BAD_DATA;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &dest->memory, &dest->size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = channels;
  cinfo.in_color_space = channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality < 1 ? 1 : quality > 100 ? 100 : quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  size_t row_bytes = (size_t)width * (size_t)channels;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  *out = dest->memory;
  *out_size = dest->size;
  free(dest);
  return CIC_OK;
}

// ---------------------------------------------------------------------------------------------

int cic_decode(const uint8_t *data, size_t size, uint64_t max_pixels, cic_image *out,
               char *err, size_t err_size) {
  memset(out, 0, sizeof *out);
  if (err != NULL && err_size > 0) err[0] = 0;
  if (size == 0) {
    cic_set_error(err, err_size, "empty file");
    return CIC_BAD_DATA;
  }
  if (size >= 8 && memcmp(data, png_signature, 8) == 0) {
    out->format = CIC_FORMAT_PNG;
    return cic_decode_png(data, size, max_pixels, out, err, err_size);
  }
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
    out->format = CIC_FORMAT_JPEG;
    return cic_decode_jpeg(data, size, max_pixels, out, err, err_size);
  }
  cic_set_error(err, err_size, "not a PNG or JPEG file (unrecognised first bytes)");
  return CIC_BAD_DATA;
}
