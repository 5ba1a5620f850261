package dev.imgpool.image.codec;

/**
 * One canonical JPEG Huffman table (ITU T.81 annex C) with lookup tables for {@link EntropyReader}.
 *
 * <p>{@link #fast} answers codes of up to {@link #FAST_BITS} bits from one peek; longer codes go
 * through {@link #maxCode}/{@link #valueOffset}, the MAXCODE/VALPTR decoding of T.81 Annex F
 * (F.2.2.3, the DECODE procedure) with MINCODE folded into the offset. For AC tables
 * {@link #acFast} also folds in the magnitude bits when code and magnitude fit in the peek, so most
 * coefficients cost one lookup and one shift.
 */
final class HuffmanTable {
  static final int FAST_BITS = 10;

  /** In {@link #acFast}: the entry carries the extended coefficient value in bits 16-31. */
  static final int HAS_VALUE = 0x80;

  /** (length << 8) | symbol for codes of at most FAST_BITS bits, 0 for longer ones. */
  final int[] fast = new int[1 << FAST_BITS];
  /**
   * Bits 0-4: bits to consume (bit 5 stays 0, so the low 6 bits are the length too); bits 8-15:
   * the run/size symbol; bit 7 ({@link #HAS_VALUE}): bits 16-31 hold the coefficient (the consumed
   * bits then include the magnitude bits). 0: no entry.
   */
  final int[] acFast = new int[1 << FAST_BITS];
  /** For lengths 1-16: the largest code of that length, -1 if there is none. */
  final int[] maxCode = new int[17];
  /** For lengths 1-16: index in {@link #values} of a code of that length, minus the code. */
  final int[] valueOffset = new int[17];
  final byte[] values;

  /**
   * @param counts the number of codes of each length 1-16 ({@code counts[0]} is length 1)
   * @param values the symbols in code order
   * @param dc a DC table: its symbols are magnitude categories, and one above 15 (lossless only)
   *     cannot be decoded, so the table is refused
   */
  HuffmanTable(int[] counts, byte[] values, boolean dc) throws NotDecodedException {
    this.values = values;
    int code = 0;
    int k = 0;
    for (int len = 1; len <= 16; len++) {
      int n = counts[len - 1];
      valueOffset[len] = k - code;
      for (int i = 0; i < n; i++, k++, code++) {
        // T.81 Annex C reserves the all-ones code of each length, so codes stay below 2^len - 1
        if (code >= (1 << len) - 1) {
          throw new NotDecodedException("Huffman table overfull at length " + len);
        }
        int symbol = values[k] & 0xFF;
        if (dc && symbol > 15) {
          throw new NotDecodedException("DC Huffman symbol " + symbol + " out of range");
        }
        if (len <= FAST_BITS) {
          int shift = FAST_BITS - len;
          int first = code << shift;
          for (int j = 0; j < 1 << shift; j++) {
            fast[first + j] = len << 8 | symbol;
            acFast[first + j] = acEntry(len, symbol, first + j);
          }
        }
      }
      maxCode[len] = n == 0 ? -1 : code - 1;
      code <<= 1;
    }
  }

  /** The acFast entry for a code of {@code len} bits at the start of the FAST_BITS-bit {@code peek}. */
  private static int acEntry(int len, int symbol, int peek) {
    int size = symbol & 15;
    int total = len + size;
    if (size == 0 || total > FAST_BITS) {
      return symbol << 8 | len; // EOB, ZRL, or magnitude bits beyond the peek
    }
    int v = (peek >> (FAST_BITS - total)) & ((1 << size) - 1);
    if (v < 1 << (size - 1)) {
      v += (-1 << size) + 1; // T.81 F.2.2.1 EXTEND
    }
    return v << 16 | symbol << 8 | HAS_VALUE | total;
  }
}
