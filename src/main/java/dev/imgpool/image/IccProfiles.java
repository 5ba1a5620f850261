package dev.imgpool.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * ICC profiles in and out. Outputs are always sRGB pixels (an embedded input profile is applied
 * when decoding); when the input carried a profile, the output carries the sRGB profile in its
 * place, so that colour-managed software sees a tagged image as before. {@code --strip} drops it.
 */
final class IccProfiles {
  private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

  private IccProfiles() {}

  /** True when the leading bytes of a JPEG or PNG hold an ICC profile (APP2 ICC_PROFILE, iCCP). */
  static boolean embedded(byte[] head, int length) {
    JpegHeader jpeg = JpegHeader.parse(head, length);
    if (jpeg != null) {
      return jpeg.hasIccProfile();
    }
    if (length > 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      // Chunks: length (4), type (4), data, CRC (4); iCCP must come before the first IDAT.
      long pos = 8;
      while (pos + 8 <= length) {
        int at = (int) pos;
        long chunk = ((head[at] & 0xFFL) << 24) | ((head[at + 1] & 0xFF) << 16) | ((head[at + 2] & 0xFF) << 8)
            | (head[at + 3] & 0xFF);
        String type = new String(head, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (type.equals("iCCP")) {
          return true;
        }
        if (type.equals("IDAT")) {
          return false;
        }
        pos += 12 + chunk;
      }
    }
    return false;
  }

  /** The sRGB profile's bytes. */
  static byte[] srgb() {
    return SRGB.clone();
  }

  /** The sRGB profile compressed for a PNG iCCP chunk. */
  static byte[] srgbDeflated() {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(SRGB);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
