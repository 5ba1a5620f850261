package dev.imgpool.image;

/** What to do when an output file is already there. */
public enum IfExists {
  /** Skip when the output is newer than the input and was made with the same options. */
  UPDATE,
  /** Skip whenever the output exists. */
  SKIP,
  /** Always write. */
  OVERWRITE,
  /** Fail the file when an output exists. */
  FAIL
}
