package io.tollgate.exporter.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file that rotates by size: {@code path} → {@code path.1} → … → {@code path.N},
 * the oldest deleted. Numbered backups (rather than timestamps) keep the newest history at a name
 * that does not change, which suits {@code tail -F} and simple shipping. Not thread-safe: one
 * writer thread owns it.
 */
final class RotatingFile implements AutoCloseable {

  private final Path path;
  private final long maxBytes; // 0: never rotate
  private final int maxBackups;
  private OutputStream out;
  private long size;

  RotatingFile(Path path, long maxBytes, int maxBackups) {
    this.path = path.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.maxBackups = maxBackups;
  }

  /**
   * Creates the parent directories and opens the file for appending.
   *
   * @throws IOException saying which path could not be written and why
   */
  void open() throws IOException {
    Path parent = path.getParent();
    if (Files.isDirectory(path)) {
      throw new IOException("file exporter: " + path + " is a directory; path must name a file");
    }
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out =
          new BufferedOutputStream(
              Files.newOutputStream(
                  path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
              64 * 1024);
      size = Files.size(path);
    } catch (AccessDeniedException e) {
      throw new IOException(
          "file exporter cannot write "
              + path
              + ": permission denied on "
              + e.getFile()
              + "; check the path and the user Tollgate runs as",
          e);
    } catch (FileAlreadyExistsException | NotDirectoryException | NoSuchFileException e) {
      throw new IOException(
          "file exporter cannot write "
              + path
              + ": "
              + e.getFile()
              + " is in the way (a file where a directory is needed?)",
          e);
    } catch (IOException e) {
      throw new IOException("file exporter cannot write " + path + ": " + e, e);
    }
  }

  /** Appends one line (already ending in '\n'), rotating first when it would not fit. */
  void write(byte[] line) throws IOException {
    if (out == null) {
      open(); // after a failed write, try a fresh file handle
    }
    if (maxBytes > 0 && size > 0 && size + line.length > maxBytes) {
      rotate();
    }
    try {
      out.write(line);
      size += line.length;
    } catch (IOException e) {
      closeQuietly();
      throw e;
    }
  }

  void flush() throws IOException {
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        closeQuietly();
        throw e;
      }
    }
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    Files.deleteIfExists(backup(maxBackups));
    for (int i = maxBackups - 1; i >= 1; i--) {
      Path from = backup(i);
      if (Files.exists(from)) {
        Files.move(from, backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(path, backup(1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  Path backup(int n) {
    return path.resolveSibling(path.getFileName() + "." + n);
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException ignored) {
      // the write already failed; that is what gets reported
    }
    out = null;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      try {
        out.close();
      } finally {
        out = null;
      }
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
