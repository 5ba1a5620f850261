package dev.imgpool.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the EXIF orientation (tag 0x0112, values 1-8) from the first bytes of a JPEG (its APP1
 * segment) or a TIFF (its first IFD). Anything malformed yields 1: orientation is a hint, never a
 * reason to fail a file.
 */
final class ExifOrientation {
  static final int NORMAL = 1;
  private static final int TAG_ORIENTATION = 0x0112;

  private ExifOrientation() {}

  /** The orientation in {@code head}, the leading bytes of an image file. */
  static int read(byte[] head, int length) {
    try {
      if (length >= 4 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
        return fromJpeg(head, length);
      }
      if (length >= 8 && ((head[0] == 'I' && head[1] == 'I') || (head[0] == 'M' && head[1] == 'M'))) {
        return fromTiff(head, 0, length);
      }
    } catch (RuntimeException malformed) {
      return NORMAL;
    }
    return NORMAL;
  }

  private static int fromJpeg(byte[] b, int length) {
    int pos = 2;
    while (pos + 4 <= length) {
      if ((b[pos] & 0xFF) != 0xFF) {
        return NORMAL;
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return NORMAL; // image data starts: no EXIF before it
      }
      int segmentLength = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      int data = pos + 4;
      if (marker == 0xE1
          && data + 6 <= length
          && b[data] == 'E' && b[data + 1] == 'x' && b[data + 2] == 'i' && b[data + 3] == 'f'
          && b[data + 4] == 0 && b[data + 5] == 0) {
        return fromTiff(b, data + 6, Math.min(length, pos + 2 + segmentLength));
      }
      pos += 2 + segmentLength;
    }
    return NORMAL;
  }

  private static int fromTiff(byte[] b, int start, int end) {
    ByteBuffer buf = ByteBuffer.wrap(b, 0, end);
    buf.order(b[start] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int ifd = start + buf.getInt(start + 4);
    int entries = buf.getShort(ifd) & 0xFFFF;
    for (int i = 0; i < entries; i++) {
      int entry = ifd + 2 + i * 12;
      if (entry + 12 > end) {
        return NORMAL;
      }
      if ((buf.getShort(entry) & 0xFFFF) == TAG_ORIENTATION) {
        int value = buf.getShort(entry + 8) & 0xFFFF;
        return value >= 1 && value <= 8 ? value : NORMAL;
      }
    }
    return NORMAL;
  }
}
