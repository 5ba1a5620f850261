package dev.imgpool.report;

import dev.imgpool.io.Fingerprint;

/**
 * The inputs seen so far, to flag one that appears in two reports. It keeps a 64-bit
 * fingerprint of each name and the index of the report it came from, about 24 bytes per input
 * (a million inputs: 24 MB), instead of the names themselves. Two different names share a
 * fingerprint with a chance of about 1 in 36 million among a million names; such a pair would
 * be flagged as a duplicate it is not, which a reader of the warning can see at once.
 *
 * <p>Not thread-safe.
 */
final class InputSet {
  private static final int NONE = -1;

  private long[] keys = new long[1024];
  private int[] sources = new int[1024];
  private int size;

  /**
   * Records {@code input} as coming from report {@code source}; returns the report it already
   * came from, or -1 when it is new.
   */
  int add(String input, int source) {
    if (source < 0) {
      throw new IllegalArgumentException("source (" + source + ") may not be negative");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    long key = Fingerprint.of(input);
    int slot = slot(keys, key);
    if (keys[slot] == key) {
      return sources[slot];
    }
    keys[slot] = key;
    sources[slot] = source;
    size++;
    return NONE;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldSources = sources;
    keys = new long[oldKeys.length * 2];
    sources = new int[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = slot(keys, oldKeys[i]);
        keys[slot] = oldKeys[i];
        sources[slot] = oldSources[i];
      }
    }
  }

  /** Linear probing; 0 marks an empty slot. */
  private static int slot(long[] table, long key) {
    int mask = table.length - 1;
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (table[slot] != 0 && table[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
}
