package dev.imgpool.image.codec;

/**
 * The fast decoder leaves this file alone: it uses a feature the fast path lacks, or its data is
 * damaged. The caller decodes it the general way, which also names any damage precisely.
 */
public final class NotDecodedException extends Exception {
  private static final long serialVersionUID = 1L;

  public NotDecodedException(String why) {
    super(why, null, false, false); // a routine fallback: no stack trace to fill
  }
}
