package dev.imgpool.image.codec;

import java.util.Arrays;
import java.util.Optional;

/**
 * An ICC profile as a JPEG carries it: split over APP2 segments, each "ICC_PROFILE\0", its
 * number (from 1), the number of segments, then its part of the profile.
 */
public final class IccChunks {
  private static final int IDENTIFIER_LENGTH = 14; // "ICC_PROFILE\0", number, count
  private byte[][] chunks;
  private boolean seen;
  private boolean broken;

  /** Adds the contents of an APP2 segment, {@code data[start, end)}, that begins "ICC_PROFILE". */
  public void add(byte[] data, int start, int end) {
    seen = true;
    if (end - start < IDENTIFIER_LENGTH || end > data.length) {
      broken = true;
      return;
    }
    int number = data[start + 12] & 0xFF;
    int count = data[start + 13] & 0xFF;
    if (chunks == null && count > 0) {
      chunks = new byte[count][];
    }
    if (chunks == null || count != chunks.length || number < 1 || number > count || chunks[number - 1] != null) {
      broken = true;
      return;
    }
    chunks[number - 1] = Arrays.copyOfRange(data, start + IDENTIFIER_LENGTH, end);
  }

  /** Marks the profile incomplete: a segment ran past the bytes at hand. */
  public void markCut() {
    seen = true;
    broken = true;
  }

  /**
   * The profile: empty when no segment was added; an empty array when the segments do not make a
   * whole profile (missing, repeated or inconsistent parts).
   */
  public Optional<byte[]> profile() {
    if (!seen) {
      return Optional.empty();
    }
    if (broken || chunks == null) {
      return Optional.of(new byte[0]);
    }
    int total = 0;
    for (byte[] chunk : chunks) {
      if (chunk == null) {
        return Optional.of(new byte[0]);
      }
      total += chunk.length;
    }
    byte[] profile = new byte[total];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, profile, at, chunk.length);
      at += chunk.length;
    }
    return Optional.of(profile);
  }
}
