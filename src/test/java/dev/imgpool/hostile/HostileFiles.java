package dev.imgpool.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Makes hostile image files byte by byte: headers that claim huge sizes over a few bytes of data
 * (decompression and dimension bombs), valid but large images, and truncated copies of real
 * files. Everything is written by the tests themselves, so nothing big is kept in the repository.
 */
public final class HostileFiles {
  private HostileFiles() {}

  // ---------------------------------------------------------------- PNG

  /** A PNG whose IHDR claims {@code width x height} (8-bit RGB) with a valid CRC, over a tiny IDAT. */
  public static byte[] pngBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writePngSignature(out);
    writeChunk(out, "IHDR", ihdr(width, height, 8, 2));
    writeChunk(out, "IDAT", deflate(new byte[64]));
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * A complete, valid {@code width x height} 8-bit RGB PNG of one flat colour. The pixel data
   * compresses to about a thousandth of its size, so a 100-megapixel image is a few hundred KB.
   */
  public static byte[] flatPng(int width, int height) throws IOException {
    return flatPng(width, height, 8);
  }

  /**
   * {@link #flatPng(int, int)} at 8 or 16 bits a sample. 16-bit PNGs are decoded by the JDK's
   * reader, never by imgpool's own fast PNG decoder.
   */
  public static byte[] flatPng(int width, int height, int bitDepth) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 64 * 1024)) {
      int bytes = bitDepth / 8;
      byte[] row = new byte[1 + 3 * bytes * width]; // filter byte 0, then RGB (high byte first)
      for (int x = 0; x < width; x++) {
        row[1 + 3 * bytes * x] = (byte) 40;
        row[1 + 3 * bytes * x + bytes] = (byte) 120;
        row[1 + 3 * bytes * x + 2 * bytes] = (byte) 200;
      }
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writePngSignature(out);
    writeChunk(out, "IHDR", ihdr(width, height, bitDepth, 2));
    byte[] data = idat.toByteArray();
    for (int off = 0; off < data.length; off += 1 << 20) { // IDAT in 1 MB chunks, as encoders do
      byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + (1 << 20)));
      writeChunk(out, "IDAT", part);
    }
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * A valid 16x16 palette PNG with a zTXt chunk that inflates to {@code inflatedMegabytes} MB
   * (a metadata bomb: readers that keep text chunks inflate it whole), before the image data.
   * Palette images are the ones whose metadata the JDK reader parses even when told to ignore it.
   */
  public static byte[] pngTextBomb(int inflatedMegabytes) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    text.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
    text.write(0); // end of keyword
    text.write(0); // compression method
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try (DeflaterOutputStream z = new DeflaterOutputStream(text, deflater)) {
      byte[] block = new byte[1 << 20];
      java.util.Arrays.fill(block, (byte) 'A');
      for (int i = 0; i < inflatedMegabytes; i++) {
        z.write(block);
      }
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writePngSignature(out);
    writeChunk(out, "IHDR", ihdr(16, 16, 8, 3));
    writeChunk(out, "PLTE", new byte[] {0, 0, 0, (byte) 255, (byte) 128, 0});
    writeChunk(out, "zTXt", text.toByteArray());
    byte[] rows = new byte[16 * 17];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        rows[y * 17 + 1 + x] = (byte) ((x + y) & 1);
      }
    }
    writeChunk(out, "IDAT", deflate(rows));
    writeChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void writePngSignature(ByteArrayOutputStream out) {
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
  }

  private static byte[] ihdr(int width, int height, int bitDepth, int colourType) {
    return ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array();
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- GIF

  /**
   * A GIF89a whose logical screen and single image descriptor both claim {@code width x height},
   * with a two-colour table and an LZW stream of three codes (clear, one pixel, end): about 40
   * bytes that would decode to width x height pixels.
   */
  public static byte[] gifBomb(int width, int height) {
    return gif(width, height, 1);
  }

  /** A tiny 1x1 GIF with {@code frames} frames, to test the frame limit. */
  public static byte[] gifFrames(int frames) {
    return gif(1, 1, frames);
  }

  private static byte[] gif(int width, int height, int frames) {
    ByteBuffer b = ByteBuffer.allocate(32 + 16 * frames).order(ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
    b.putShort((short) width).putShort((short) height);
    b.put((byte) 0x80).put((byte) 0).put((byte) 0); // global colour table of 2 entries
    b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    for (int i = 0; i < frames; i++) {
      b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height);
      b.put((byte) 0); // no local colour table, not interlaced
      b.put((byte) 2); // LZW minimum code size
      b.put(new byte[] {2, 0x44, 0x01, 0}); // codes 4 (clear), 0, 5 (end) at 3 bits each
    }
    b.put((byte) 0x3B);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  // ---------------------------------------------------------------- JPEG

  /** A baseline JPEG header (DQT, SOF0, DHT, SOS) claiming {@code width x height}, 3 components, then a few bytes and EOI. */
  public static byte[] jpegBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
    // DQT: table 0, all ones
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDB, 0, 67, 0});
    for (int i = 0; i < 64; i++) {
      out.write(1);
    }
    // SOF0
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8,
        (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 3,
        1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0});
    // DHT: DC table 0 and AC table 0 with one code each
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC4, 0, 20, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    // SOS
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0});
    out.writeBytes(new byte[] {0, 0, 0, 0});
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- TIFF

  /** A little-endian TIFF whose first IFD claims {@code width x height} 8-bit grey in one strip of 16 bytes. */
  public static byte[] tiffBomb(long width, long height) {
    int entries = 9;
    int ifdSize = 2 + 12 * entries + 4;
    int stripOffset = 8 + ifdSize;
    ByteBuffer b = ByteBuffer.allocate(stripOffset + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) entries);
    tiffEntry(b, 256, 4, width); // ImageWidth LONG
    tiffEntry(b, 257, 4, height); // ImageLength LONG
    tiffEntry(b, 258, 3, 8); // BitsPerSample
    tiffEntry(b, 259, 3, 1); // Compression none
    tiffEntry(b, 262, 3, 1); // Photometric BlackIsZero
    tiffEntry(b, 273, 4, stripOffset); // StripOffsets
    tiffEntry(b, 277, 3, 1); // SamplesPerPixel
    tiffEntry(b, 278, 4, height); // RowsPerStrip
    tiffEntry(b, 279, 4, 16); // StripByteCounts
    b.putInt(0); // no next IFD
    return b.array();
  }

  private static void tiffEntry(ByteBuffer b, int tag, int type, long value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt((int) value);
    }
  }

  /** A valid 4x4 TIFF whose first directory names itself as the next one: an endless chain. */
  public static byte[] tiffLoop() {
    byte[] tiff = tiffBomb(4, 4);
    int entries = 9;
    int next = 8 + 2 + 12 * entries;
    ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN).putInt(next, 8);
    return tiff;
  }

  // ---------------------------------------------------------------- WebP

  /** An extended WebP (VP8X) whose canvas claims {@code width x height} (up to 2^24 each), with no image data. */
  public static byte[] webpBomb(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
    b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
    b.put((byte) 0).put(new byte[3]);
    int w = width - 1;
    int h = height - 1;
    b.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16));
    b.put((byte) h).put((byte) (h >> 8)).put((byte) (h >> 16));
    return b.array();
  }

  // ---------------------------------------------------------------- BMP

  /** A 24-bit BMP whose BITMAPINFOHEADER claims {@code width x height} (negative: top-down), over 16 bytes of pixels. */
  public static byte[] bmpBomb(int width, int height) {
    int offset = 14 + 40;
    ByteBuffer b = ByteBuffer.allocate(offset + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(offset + 16).putInt(0).putInt(offset);
    b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24);
    b.putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
    return b.array();
  }

  // ---------------------------------------------------------------- truncation

  /** The first {@code percent}% of {@code source}, written to {@code target}. */
  public static void truncate(Path source, int percent, Path target) throws IOException {
    byte[] all = Files.readAllBytes(source);
    Files.write(target, java.util.Arrays.copyOf(all, (int) ((long) all.length * percent / 100)));
  }
}
