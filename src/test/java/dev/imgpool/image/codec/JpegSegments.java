package dev.imgpool.image.codec;

import java.nio.charset.StandardCharsets;

/** Builds JPEG files with extra segments, for tests of what the parsers make of them. */
public final class JpegSegments {
  private JpegSegments() {}

  /** An APP2 segment holding {@code profile[from, to)} as ICC chunk {@code number} of {@code count}. */
  public static byte[] iccChunk(byte[] profile, int from, int to, int number, int count) {
    byte[] id = "ICC_PROFILE\u0000".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + id.length + 2 + (to - from);
    byte[] segment = new byte[2 + length];
    segment[0] = (byte) 0xFF;
    segment[1] = (byte) 0xE2;
    segment[2] = (byte) (length >> 8);
    segment[3] = (byte) length;
    System.arraycopy(id, 0, segment, 4, id.length);
    segment[4 + id.length] = (byte) number;
    segment[5 + id.length] = (byte) count;
    System.arraycopy(profile, from, segment, 6 + id.length, to - from);
    return segment;
  }

  /** {@code jpeg} with {@code segment} inserted before its first {@code marker} segment. */
  public static byte[] insertBefore(byte[] jpeg, int marker, byte[] segment) {
    int at = 2;
    while ((jpeg[at + 1] & 0xFF) != marker) {
      at += 2 + ((jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF));
    }
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, at);
    System.arraycopy(segment, 0, out, at, segment.length);
    System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
    return out;
  }
}
