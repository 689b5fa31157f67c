package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link WireDecoder.KeyCache} against its oracle, {@code new String(bytes, UTF_8)}: whatever the
 * table holds, a key's bytes decode to the String of exactly those bytes; a key seen before is
 * the same instance; and decoding with the cache gives what protobuf's parser gives.
 */
class WireDecoderKeyCacheTest {

  private static final String[] PIECES = {
    "gen_ai.", "usage.", "input_tokens", "a", "é", "ü", "東京", "データ", "😀", "\u007f", "\u0080",
    "\u07ff", "\u0800", "\uffff", "\ud800\udc00", "\udbff\udfff", ".", "0", "1", "_"
  };

  private static String randomKey(Random random) {
    StringBuilder sb = new StringBuilder();
    int parts = random.nextInt(random.nextInt(8) == 0 ? 40 : 6);
    for (int i = 0; i < parts; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  /** {@code key} encoded at a random offset of a larger array, with garbage around it. */
  private static byte[] embedded(byte[] utf8, int offset, Random random) {
    byte[] array = new byte[offset + utf8.length + random.nextInt(5)];
    random.nextBytes(array);
    System.arraycopy(utf8, 0, array, offset, utf8.length);
    return array;
  }

  @Test
  void everyKeyDecodesToTheStringOfItsBytesWhateverTheTableHolds() {
    // A private table, small enough to be full of other keys (and slot collisions) all the time.
    WireDecoder.KeyCache cache = new WireDecoder.KeyCache();
    Random random = new Random(7);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      keys.add(randomKey(random));
    }
    for (int round = 0; round < 40_000; round++) {
      // Mostly a few hot keys, sometimes any of thousands.
      String key = keys.get(random.nextInt(8) == 0 ? random.nextInt(keys.size()) : random.nextInt(30));
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      int offset = random.nextInt(4);
      String decoded = cache.key(embedded(utf8, offset, random), offset, utf8.length);
      assertThat(decoded).isEqualTo(key);
      assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(utf8);
    }
  }

  @Test
  void keysThatDifferOnlyInOneByteOrInLengthAreDifferentKeys() {
    WireDecoder.KeyCache cache = new WireDecoder.KeyCache();
    String[] keys = {
      "gen_ai.usage.input_tokens", "gen_ai.usage.input_tokenz", "gen_ai.usage.input_token",
      "gen_ai.usage.input_tokens.", "Gen_ai.usage.input_tokens", "é", "è", "ée", "東京", "東亰", ""
    };
    for (int round = 0; round < 3; round++) {
      for (String key : keys) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        assertThat(cache.key(utf8, 0, utf8.length)).isEqualTo(key);
      }
    }
  }

  @Test
  void aFrequentKeyIsOneSharedInstanceEvenWhenAnotherSharesItsSlot() {
    WireDecoder.KeyCache cache = new WireDecoder.KeyCache();
    Set<String> hot = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      hot.add("gen_ai.attribute." + i);
    }
    // Every hot key, decoded again and again from fresh arrays, is one instance per key.
    List<String> firsts = new ArrayList<>();
    for (String k : hot) {
      byte[] utf8 = k.getBytes(StandardCharsets.UTF_8);
      firsts.add(cache.key(utf8.clone(), 0, utf8.length));
    }
    int i = 0;
    for (String k : hot) {
      byte[] utf8 = k.getBytes(StandardCharsets.UTF_8);
      assertThat(cache.key(utf8.clone(), 0, utf8.length)).isSameAs(firsts.get(i++));
    }
  }

  @Test
  void longKeysAreDecodedButNotCached() {
    WireDecoder.KeyCache cache = new WireDecoder.KeyCache();
    String key = "k".repeat(97);
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    String a = cache.key(utf8, 0, utf8.length);
    assertThat(a).isEqualTo(key);
    assertThat(cache.key(utf8, 0, utf8.length)).isEqualTo(key).isNotSameAs(a);
  }

  @Test
  void threadsSharingTheTableAlwaysGetTheirOwnKeys() throws Exception {
    WireDecoder.KeyCache cache = new WireDecoder.KeyCache();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  int checked = 0;
                  for (int i = 0; i < 30_000; i++) {
                    String key = randomKey(random);
                    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
                    assertThat(cache.key(utf8, 0, utf8.length)).isEqualTo(key);
                    checked++;
                  }
                  return checked;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(30_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void decodedSpansShareKeyInstancesAcrossRequestsAndMatchProtobuf() throws Exception {
    Random random = new Random(3);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(randomKey(random) + i); // distinct
    }
    String[] previous = null;
    for (int request = 0; request < 3; request++) {
      Span.Builder span = Span.newBuilder().setName("chat");
      for (String k : keys) {
        span.addAttributes(
            KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(1)));
      }
      ResourceSpans rs =
          ResourceSpans.newBuilder()
              .setResource(Resource.getDefaultInstance())
              .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))
              .build();
      byte[] bytes = rs.toByteArray();
      ResourceSpans decoded = WireDecoder.decode(bytes, 0, bytes.length).build();
      assertThat(decoded).isEqualTo(ResourceSpans.parseFrom(bytes));
      List<KeyValue> attributes = decoded.getScopeSpans(0).getSpans(0).getAttributesList();
      String[] now = new String[attributes.size()];
      for (int i = 0; i < now.length; i++) {
        now[i] = attributes.get(i).getKey();
        if (previous != null) {
          assertThat(now[i]).isSameAs(previous[i]);
        }
      }
      previous = now;
    }
  }
}
