package dev.imgpool.task;

import java.util.Objects;

/**
 * One file written for a task.
 *
 * @param path the output path relative to OUTPUT, with '/' separators
 * @param width pixel width written
 * @param height pixel height written
 * @param bytes size of the written file
 */
public record OutputFile(String path, int width, int height, long bytes) {
  public OutputFile {
    Objects.requireNonNull(path, "path");
  }
}
