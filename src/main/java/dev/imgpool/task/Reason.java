package dev.imgpool.task;

/** Short machine-readable reasons carried by every result that is not ok or skipped. */
public final class Reason {
  public static final String TOO_LARGE = "too_large";
  public static final String TRUNCATED = "truncated";
  public static final String CORRUPT = "corrupt";
  public static final String UNSUPPORTED_FORMAT = "unsupported_format";
  public static final String NOT_AN_IMAGE = "not_an_image";
  public static final String TIMEOUT = "timeout";
  public static final String IO_ERROR = "io_error";
  public static final String COLLISION = "collision";
  public static final String OUTSIDE_BASE = "outside_base";
  public static final String CANCELLED = "cancelled";
  public static final String EXISTS = "exists";
  public static final String INTERNAL = "internal_error";

  private Reason() {}
}
