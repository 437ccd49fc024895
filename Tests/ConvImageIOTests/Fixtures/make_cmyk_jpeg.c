// Writes cmyk.jpg, an 8x8 CMYK JPEG (what print workflows produce), for the test that convplay
// refuses CMYK with a clear message. Build and run from this directory:
//   cc make_cmyk_jpeg.c -ljpeg -o /tmp/make_cmyk_jpeg && /tmp/make_cmyk_jpeg
#include <stdio.h>
#include <jpeglib.h>

int main(void) {
  FILE *f = fopen("cmyk.jpg", "wb");
  if (!f) return 1;
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr e;
  c.err = jpeg_std_error(&e);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = 8;
  c.image_height = 8;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_start_compress(&c, TRUE);
  unsigned char row[8 * 4];
  for (int i = 0; i < 8 * 4; i++) row[i] = (unsigned char)(i * 8);
  while (c.next_scanline < 8) {
    JSAMPROW r = row;
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  fclose(f);
  return 0;
}
