package dev.imgpool.image;

import java.util.Objects;

/** A per-file failure inside the image stages: a reason for the report and a one-line message. */
final class ImageFailure extends Exception {
  private final String reason;

  ImageFailure(String reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  ImageFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  String reason() {
    return reason;
  }
}
