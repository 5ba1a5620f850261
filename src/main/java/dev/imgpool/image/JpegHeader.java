package dev.imgpool.image;

import dev.imgpool.image.codec.IccChunks;

/**
 * What the markers before a JPEG's first scan say about decoding it: the frame type, the number
 * of components, an Adobe colour transform and an ICC profile. It decides whether the JDK's own
 * reader, which converts YCbCr in native code, can take the file, or whether it needs
 * TwelveMonkeys' (CMYK, YCCK, ICC profiles, lossless).
 *
 * @param frameMarker the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), 0 when none was found
 * @param components colour components in the frame
 * @param adobeTransform the Adobe APP14 transform (0 none/RGB/CMYK, 1 YCbCr, 2 YCCK), -1 without APP14
 * @param hasIccProfile an APP2 ICC_PROFILE segment is present
 * @param srgbProfile the ICC profile is whole within the bytes parsed and describes sRGB
 *     ({@link IccProfiles#isSrgb}): applying it would change nothing
 */
record JpegHeader(int frameMarker, int components, int adobeTransform, boolean hasIccProfile, boolean srgbProfile) {

  /** Parses the leading bytes of a file; null when they are not a JPEG or too short to tell. */
  static JpegHeader parse(byte[] b, int length) {
    if (length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
      return null;
    }
    int adobe = -1;
    boolean icc = false;
    IccChunks iccChunks = new IccChunks();
    int pos = 2;
    while (pos + 4 <= length) {
      if ((b[pos] & 0xFF) != 0xFF) {
        return null;
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        pos += 2; // markers without a length
        continue;
      }
      int segment = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
      int data = pos + 4;
      if (marker == 0xE2 && data + 12 <= length && startsWith(b, data, "ICC_PROFILE")) {
        icc = true;
        if (pos + 2 + segment > length) {
          iccChunks.markCut();
        } else {
          iccChunks.add(b, data, pos + 2 + segment);
        }
      } else if (marker == 0xEE && data + 12 <= length && startsWith(b, data, "Adobe")) {
        adobe = b[data + 11] & 0xFF;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        if (data + 6 > length) {
          return null;
        }
        boolean srgb = iccChunks.profile().map(IccProfiles::isSrgb).orElse(false);
        return new JpegHeader(marker, b[data + 5] & 0xFF, adobe, icc, srgb);
      } else if (marker == 0xDA || marker == 0xD9) {
        return null; // a scan before any frame: malformed
      }
      pos += 2 + segment;
    }
    return null;
  }

  /**
   * True for the common case the JDK's reader decodes correctly and fast: a baseline, extended
   * or progressive Huffman frame of gray or YCbCr data, with no ICC profile to apply (none, or
   * an sRGB one on colour data).
   */
  boolean plainYCbCrOrGray() {
    boolean huffman = frameMarker == 0xC0 || frameMarker == 0xC1 || frameMarker == 0xC2;
    boolean colours = components == 1 || (components == 3 && (adobeTransform == -1 || adobeTransform == 1));
    return huffman && colours && (!hasIccProfile || (srgbProfile && components == 3));
  }

  private static boolean startsWith(byte[] b, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
