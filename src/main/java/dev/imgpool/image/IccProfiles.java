package dev.imgpool.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * ICC profiles in and out. Outputs are always sRGB pixels (an embedded input profile is applied
 * when decoding); when the input carried a profile, the output carries the sRGB profile in its
 * place, so that colour-managed software sees a tagged image as before. {@code --strip} drops it.
 */
final class IccProfiles {
  private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
  private static final String[] PRIMARY_TAGS = {"rXYZ", "gXYZ", "bXYZ"};
  /** The primaries (rXYZ, gXYZ, bXYZ) of the JDK's own sRGB profile: what other sRGB profiles are held to. */
  private static final double[] SRGB_PRIMARIES = primaries(SRGB);
  private static final String[] CURVE_TAGS = {"rTRC", "gTRC", "bTRC"};
  /** Lookup tables take precedence over primaries and curves in a colour engine: such a profile is not judged by them. */
  private static final String[] TABLE_TAGS = {
    "A2B0", "A2B1", "A2B2", "B2A0", "B2A1", "B2A2", "D2B0", "D2B1", "D2B2", "D2B3", "B2D0", "B2D1", "B2D2", "B2D3"
  };
  /** Device classes a colour space profile of an image has: monitor, input, colour space. */
  private static final String[] DEVICE_CLASSES = {"mntr", "scnr", "spac"};
  private static final double PRIMARY_TOLERANCE = 0.002;
  /** In 8-bit levels, after encoding the curve's output with the sRGB function again. */
  private static final double CURVE_TOLERANCE = 1.0;

  private IccProfiles() {}

  /**
   * True when a JPEG or PNG holds an ICC profile (APP2 ICC_PROFILE, iCCP in the leading bytes).
   *
   * @param jpeg the file's JPEG header, null when it does not start as a JPEG
   */
  static boolean embedded(JpegHeader jpeg, byte[] head, int length) {
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

  /**
   * True when an ICC profile describes sRGB: an RGB matrix-and-curves profile whose primaries and
   * tone curves lie within a small tolerance of the standard's. Cameras and editors embed such
   * profiles (HP's "sRGB IEC61966-2.1", Little CMS's "sRGB") in most of their JPEGs; converting
   * from one to sRGB changes nothing, so these files can take the fast decoders. False for
   * anything else, malformed profiles included.
   */
  static boolean isSrgb(byte[] profile) {
    if (SRGB_PRIMARIES == null || profile.length < 132 || !ascii(profile, 36, "acsp") || !ascii(profile, 16, "RGB ")
        || !ascii(profile, 20, "XYZ ") || Arrays.stream(DEVICE_CLASSES).noneMatch(c -> ascii(profile, 12, c))) {
      return false;
    }
    for (String table : TABLE_TAGS) {
      if (tag(profile, table) >= 0) {
        return false;
      }
    }
    double[] primaries = primaries(profile);
    if (primaries == null) {
      return false;
    }
    for (int i = 0; i < primaries.length; i++) {
      if (Math.abs(primaries[i] - SRGB_PRIMARIES[i]) > PRIMARY_TOLERANCE) {
        return false;
      }
    }
    for (String curve : CURVE_TAGS) {
      int entry = tag(profile, curve);
      if (entry < 0 || !srgbCurve(profile, readInt(profile, entry + 4), readInt(profile, entry + 8))) {
        return false;
      }
    }
    return true;
  }

  /** The nine XYZ values of the rXYZ, gXYZ and bXYZ tags, or null when one is missing or malformed. */
  private static double[] primaries(byte[] profile) {
    double[] values = new double[9];
    for (int i = 0; i < PRIMARY_TAGS.length; i++) {
      int entry = tag(profile, PRIMARY_TAGS[i]);
      if (entry < 0) {
        return null;
      }
      int offset = readInt(profile, entry + 4);
      if (offset < 0 || offset > profile.length - 20 || !ascii(profile, offset, "XYZ ")) {
        return null;
      }
      for (int j = 0; j < 3; j++) {
        values[3 * i + j] = readInt(profile, offset + 8 + 4 * j) / 65536.0;
      }
    }
    return values;
  }

  /** Whether the curve at {@code offset} ('curv' or 'para') follows the sRGB transfer function. */
  private static boolean srgbCurve(byte[] profile, int offset, int size) {
    if (offset < 0 || size < 12 || offset > profile.length - size) {
      return false;
    }
    for (int i = 0; i <= 255; i++) {
      double linear = evaluate(profile, offset, size, i / 255.0);
      // compared as the 8-bit level it encodes to: a tolerance in linear light hides errors near black
      double level = 255 * (linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055);
      if (!(Math.abs(level - i) <= CURVE_TOLERANCE)) { // NaN fails too
        return false;
      }
    }
    return true;
  }

  /** A 'curv' or 'para' curve at x in [0, 1]; NaN for other types or malformed data. */
  private static double evaluate(byte[] profile, int offset, int size, double x) {
    if (ascii(profile, offset, "curv")) {
      int count = readInt(profile, offset + 8);
      if (count < 2 || 12 + 2L * count > size) {
        return Double.NaN; // identity and pure gamma curves are not sRGB's
      }
      double position = x * (count - 1);
      int below = (int) Math.floor(position);
      int above = Math.min(count - 1, below + 1);
      double low = readShort(profile, offset + 12 + 2 * below) / 65535.0;
      double high = readShort(profile, offset + 12 + 2 * above) / 65535.0;
      return low + (high - low) * (position - below);
    }
    if (ascii(profile, offset, "para")) {
      int function = readShort(profile, offset + 8);
      int[] counts = {1, 3, 4, 5, 7};
      if (function >= counts.length || 12 + 4L * counts[function] > size) {
        return Double.NaN;
      }
      double[] p = new double[7];
      for (int i = 0; i < counts[function]; i++) {
        p[i] = readInt(profile, offset + 12 + 4 * i) / 65536.0;
      }
      double g = p[0];
      return switch (function) {
        case 0 -> Math.pow(x, g);
        case 1 -> x >= -p[2] / p[1] ? Math.pow(p[1] * x + p[2], g) : 0;
        case 2 -> x >= -p[2] / p[1] ? Math.pow(p[1] * x + p[2], g) + p[3] : p[3];
        case 3 -> x >= p[4] ? Math.pow(p[1] * x + p[2], g) : p[3] * x;
        default -> x >= p[4] ? Math.pow(p[1] * x + p[2], g) + p[5] : p[3] * x + p[6];
      };
    }
    return Double.NaN;
  }

  /** The position of a tag's table entry (signature, offset, size), or -1. */
  private static int tag(byte[] profile, String signature) {
    int count = readInt(profile, 128);
    if (count < 0 || count > (profile.length - 132) / 12) {
      return -1;
    }
    for (int i = 0; i < count; i++) {
      int entry = 132 + 12 * i;
      if (ascii(profile, entry, signature)) {
        return entry;
      }
    }
    return -1;
  }

  private static boolean ascii(byte[] b, int at, String text) {
    if (at < 0 || at > b.length - text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int readInt(byte[] b, int at) {
    if (at < 0 || at > b.length - 4) {
      return -1;
    }
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static int readShort(byte[] b, int at) {
    if (at < 0 || at > b.length - 2) {
      return 0;
    }
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
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
