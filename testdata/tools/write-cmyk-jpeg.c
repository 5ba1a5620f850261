/*
 * write-cmyk-jpeg.c - encodes raw 8-bit CMYK pixels as a four-component JPEG,
 * either plain CMYK (Adobe APP14 marker, transform=0) or YCCK (transform=2),
 * optionally with an embedded ICC profile. libjpeg (and so ImageMagick, which
 * leaves the choice to libjpeg's defaults) always writes YCCK for CMYK input,
 * hence this tool.
 *
 * The raw input is read as ImageMagick's "cmyk:" output (0 = no ink) and
 * stored inverted, the Adobe/Photoshop convention that ImageMagick,
 * libjpeg-based viewers and TwelveMonkeys all expect.
 *
 *   cc -O2 -o /tmp/write-cmyk-jpeg write-cmyk-jpeg.c -ljpeg
 *   convert in.tif -depth 8 cmyk:in.cmyk
 *   /tmp/write-cmyk-jpeg cmyk|ycck in.cmyk WIDTH HEIGHT out.jpg [profile.icc]
 *
 * Written for imgpool's test data (no third-party code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

static unsigned char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    rewind(f);
    unsigned char *buf = malloc(*size);
    if (fread(buf, 1, *size, f) != (size_t)*size) { perror(path); exit(1); }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 6 || (strcmp(argv[1], "cmyk") && strcmp(argv[1], "ycck"))) {
        fprintf(stderr, "usage: %s cmyk|ycck in.cmyk width height out.jpg [profile.icc]\n", argv[0]);
        return 2;
    }
    int ycck = !strcmp(argv[1], "ycck");
    argv++;
    argc--;
    int w = atoi(argv[2]), h = atoi(argv[3]);
    long size, icc_size = 0;
    unsigned char *px = slurp(argv[1], &size), *icc = NULL;
    if (size != (long)w * h * 4) { fprintf(stderr, "raw size %ld != %d*%d*4\n", size, w, h); return 1; }
    if (argc > 5) icc = slurp(argv[5], &icc_size);
    for (long i = 0; i < size; i++) px[i] = 255 - px[i];

    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    FILE *out = fopen(argv[4], "wb");
    if (!out) { perror(argv[4]); return 1; }
    jpeg_stdio_dest(&c, out);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    /* either call also turns on the Adobe APP14 marker */
    jpeg_set_colorspace(&c, ycck ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    if (icc) jpeg_write_icc_profile(&c, icc, (unsigned)icc_size);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px + (long)c.next_scanline * w * 4;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    fclose(out);
    jpeg_destroy_compress(&c);
    free(px);
    free(icc);
    return 0;
}
