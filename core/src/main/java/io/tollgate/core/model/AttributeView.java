package io.tollgate.core.model;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A mutable view of one attribute list: a span's, a span event's or a resource's.
 *
 * <p>Lookups are linear scans. GenAI spans carry tens of attributes, where a scan over a contiguous
 * list beats building a hash map for every span that passes through. A span's or an event's view of
 * more than a few entries scans the hashes of its keys, kept in an int array by the view itself: a
 * GenAI processor looks up tens of keys per span, most of them absent, and a scan of the entries
 * reads three objects per entry (entry, key, hash) where this reads one int.
 *
 * <p>Writes keep the OTLP rule that keys are unique: {@code put} replaces the first entry with the
 * same key and appends otherwise.
 */
public abstract class AttributeView {

  AttributeView() {}

  /** From this many entries on, an indexed view scans its key hashes instead of its entries. */
  static final int HASHED_FROM = 8;

  /**
   * The hash of each entry's key, in entry order, for the first {@link #hashedCount} entries: kept
   * by this view's own writes, rebuilt when the list's size is not what the view last saw. So it
   * must not be used for a list that another view may write to without this one knowing: a
   * resource's attributes are shared by the records of all its spans, and its view scans.
   */
  private int[] keyHashes;

  /** How many entries {@link #keyHashes} covers; -1 when it is to be rebuilt. */
  private int hashedCount = -1;

  /** Number of entries. */
  public abstract int size();

  /** The entry at {@code index}. */
  public abstract KeyValue entry(int index);

  abstract void setEntry(int index, KeyValue kv);

  abstract void addEntry(KeyValue kv);

  abstract void removeEntry(int index);

  public final String key(int index) {
    return entry(index).getKey();
  }

  public final AnyValue value(int index) {
    return entry(index).getValue();
  }

  /** Replaces the value at {@code index}, keeping its key. */
  public final void setValue(int index, AnyValue value) {
    setEntry(index, KeyValue.newBuilder().setKey(key(index)).setValue(value).build());
  }

  /** Index of {@code key}, or -1. */
  public final int indexOf(String key) {
    return find(key, key.hashCode());
  }

  /**
   * Index of {@code key} (whose hash is {@code hash}), or -1: the scan each list implements over
   * its own builder, so the loop calls one known method per entry instead of {@link #entry} through
   * this class (three kinds of list make that call site megamorphic: not inlined).
   */
  abstract int find(String key, int hash);

  /**
   * {@link #find} over the key hashes, for a list of {@code n} entries that only this view writes
   * to (see {@link #keyHashes}).
   */
  final int findByHash(String key, int hash, int n) {
    if (hashedCount != n) {
      rebuildKeyHashes(n);
    }
    int[] hashes = keyHashes;
    for (int i = 0; i < n; i++) {
      // A hash that matches is confirmed on the entry's key (collisions: "Aa" and "BB").
      if (hashes[i] == hash && sameKey(key(i), key, hash)) {
        return i;
      }
    }
    return -1;
  }

  private void rebuildKeyHashes(int n) {
    if (keyHashes == null || keyHashes.length < n) {
      keyHashes = new int[Math.max(n + (n >> 1), 16)];
    }
    for (int i = 0; i < n; i++) {
      keyHashes[i] = key(i).hashCode();
    }
    hashedCount = n;
  }

  // The writes that change keys keep the key hashes in step (when they were built). setEntry
  // needs nothing: setValue and putAt replace an entry with one of the same key.

  private void appendEntry(KeyValue kv) {
    int n = hashedCount;
    addEntry(kv);
    if (n >= 0) {
      if (n == keyHashes.length) {
        keyHashes = Arrays.copyOf(keyHashes, n + (n >> 1));
      }
      keyHashes[n] = kv.getKey().hashCode();
      hashedCount = n + 1;
    }
  }

  private void deleteEntry(int index) {
    removeEntry(index);
    int n = hashedCount;
    if (index < n) {
      System.arraycopy(keyHashes, index + 1, keyHashes, index, n - index - 1);
      hashedCount = n - 1;
    }
  }

  /**
   * Whether an entry's key {@code candidate} is {@code key}. Decoded keys are shared instances with
   * their hash computed ({@code WireDecoder}), so the usual answer, no, comes from two ints without
   * reading either key's characters, and yes often from identity. A key whose hash is not computed
   * yet gets it computed once and kept by its String for every later lookup.
   */
  static boolean sameKey(String candidate, String key, int hash) {
    return candidate == key || (candidate.hashCode() == hash && candidate.equals(key));
  }

  public final boolean contains(String key) {
    return indexOf(key) >= 0;
  }

  /** The value of {@code key}, or null when absent. */
  public final AnyValue get(String key) {
    int i = indexOf(key);
    return i < 0 ? null : value(i);
  }

  /** The value of {@code key} when it is a string, else null. */
  public final String getString(String key) {
    AnyValue v = get(key);
    return v != null && v.hasStringValue() ? v.getStringValue() : null;
  }

  /**
   * The value of {@code key} as a whole number: an int, a double without fraction or a decimal
   * string (instrumentations disagree on the type of token counts). Null when absent or not a
   * number.
   */
  public final Long getLong(String key) {
    return Values.asLong(get(key));
  }

  /** The value of {@code key} as a double (int, double or numeric string), or null. */
  public final Double getDouble(String key) {
    return Values.asDouble(get(key));
  }

  /** The value of {@code key} as a boolean (bool or "true"/"false"), or null. */
  public final Boolean getBoolean(String key) {
    return Values.asBoolean(get(key));
  }

  public final void put(String key, AnyValue value) {
    putAt(indexOf(key), key, value);
  }

  /**
   * {@link #put(String, AnyValue)} for a caller that has just looked {@code key} up and read what
   * it holds: {@code index} is what {@link #indexOf} returned for it, with no change to this list
   * since, so the list is not scanned a second time.
   *
   * @throws IllegalArgumentException when the entry at {@code index} is not {@code key} (the list
   *     changed after the lookup: look the key up again)
   */
  public final void putAt(int index, String key, AnyValue value) {
    if (index >= 0 && !sameKey(key(index), key, key.hashCode())) {
      throw new IllegalArgumentException(
          "entry " + index + " is '" + key(index) + "', not '" + key + "': look the key up again");
    }
    KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).build();
    if (index >= 0) {
      setEntry(index, kv);
    } else {
      appendEntry(kv);
    }
  }

  public final void put(String key, String value) {
    put(key, Values.of(value));
  }

  public final void put(String key, long value) {
    put(key, Values.of(value));
  }

  public final void put(String key, double value) {
    put(key, Values.of(value));
  }

  public final void put(String key, boolean value) {
    put(key, Values.of(value));
  }

  public final void putStrings(String key, List<String> values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String s : values) {
      array.addValues(Values.of(s));
    }
    put(key, AnyValue.newBuilder().setArrayValue(array).build());
  }

  /** Puts only when {@code key} is absent; returns whether it wrote. */
  public final boolean putIfAbsent(String key, AnyValue value) {
    if (contains(key)) {
      return false;
    }
    appendEntry(KeyValue.newBuilder().setKey(key).setValue(value).build());
    return true;
  }

  /** Removes {@code key}; returns its value or null. */
  public final AnyValue remove(String key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    AnyValue v = value(i);
    deleteEntry(i);
    return v;
  }

  /** Removes every entry whose key matches; returns how many. */
  public final int removeIf(Predicate<String> keyPredicate) {
    int removed = 0;
    for (int i = size() - 1; i >= 0; i--) {
      if (keyPredicate.test(key(i))) {
        deleteEntry(i);
        removed++;
      }
    }
    return removed;
  }

  public final void forEach(BiConsumer<String, AnyValue> action) {
    int n = size();
    for (int i = 0; i < n; i++) {
      KeyValue kv = entry(i);
      action.accept(kv.getKey(), kv.getValue());
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    int n = size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(key(i)).append('=').append(Values.toDisplayString(value(i)));
    }
    return sb.append('}').toString();
  }
}
