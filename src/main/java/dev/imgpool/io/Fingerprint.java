package dev.imgpool.io;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A 64-bit fingerprint of a string, for telling names or option sets apart: FNV-1a over the
 * UTF-8 bytes, then a finalizer that spreads the bits. Not a cryptographic digest, and it need
 * not be one: nothing here defends against crafted collisions. It costs no security provider
 * lookup, which took about 40 ms of a one-image run's start.
 *
 * <p>The values are stored in state files: a change makes {@code --if-exists update} redo every
 * output once, as the move from a SHA-256 prefix to this hash did.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** The fingerprint of {@code text}; never 0, so 0 can mark an empty slot. */
  public static long of(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash == 0 ? 1 : hash;
  }

  /** The fingerprint of {@code text} as 16 lower-case hex digits. */
  public static String hex(String text) {
    return HexFormat.of().toHexDigits(of(text));
  }
}
