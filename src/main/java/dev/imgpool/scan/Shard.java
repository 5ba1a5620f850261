package dev.imgpool.scan;

import java.nio.charset.StandardCharsets;

/**
 * Shard {@code index} of {@code count}: a file belongs to it when the FNV-1a 64-bit hash of its
 * relative path (UTF-8, '/' separators) is {@code index} modulo {@code count}. The hash is fixed
 * here, so the partition is the same on every machine and every JVM.
 */
public record Shard(int index, int count) {
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + ": expected K/N with 0 <= K < N");
    }
  }

  /** Parses {@code K/N}. */
  public static Shard parse(String text) {
    String[] parts = text.trim().split("/", -1);
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("invalid shard '" + text + "': expected K/N, such as 0/4");
  }

  public boolean contains(String relativePath) {
    return count == 1 || Long.remainderUnsigned(hash(relativePath), count) == index;
  }

  static long hash(String relativePath) {
    long h = 0xcbf29ce484222325L;
    for (byte b : relativePath.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
