package io.tollgate.core.model;

/**
 * A place in an array to write an encoding to: {@code array()} from {@code offset()} on. Given by a
 * component that packs encodings into arrays of its own (see {@link TraceBatch#encodeInto}).
 */
public interface ByteRegion {

  /** The array to write into. */
  byte[] array();

  /** Where in {@link #array()} the encoding starts. */
  int offset();
}
