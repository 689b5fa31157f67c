package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AttributeView#indexOf} and {@link AttributeView#putAt} against the plain definitions
 * (first entry whose key {@code equals}; put = replace first or append), on all three kinds of
 * list, with keys that share a hash ("Aa"/"BB"), keys as other instances of equal text, multi-byte
 * keys, keys held as bytes, and keys that differ only in their last character.
 */
class AttributeViewLookupTest {

  private static final String[] KEYS = {
    "Aa",
    "BB",
    "AaAa",
    "BBBB",
    "AaBB",
    "BBAa",
    "",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.input_tokenz",
    "gen_ai.usage.output_tokens",
    "é",
    "東京",
    "😀",
    "\u0000",
    "llm.model_name",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "x"
  };

  /** The definition: first index whose key equals. */
  private static int oracleIndexOf(List<KeyValue> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static KeyValue kv(String key, long value, Random random) {
    KeyValue.Builder b = KeyValue.newBuilder().setValue(AnyValue.newBuilder().setIntValue(value));
    // Sometimes the key as bytes, sometimes a String of its own: never the test's instance.
    if (random.nextBoolean()) {
      b.setKeyBytes(com.google.protobuf.ByteString.copyFromUtf8(key));
    } else {
      b.setKey(new String(key.toCharArray()));
    }
    return b.build();
  }

  private static List<AttributeView> views(List<KeyValue> entries) {
    Span.Builder span = Span.newBuilder().addAllAttributes(entries);
    Span.Event.Builder event = Span.Event.newBuilder().addAllAttributes(entries);
    Resource.Builder resource = Resource.newBuilder().addAllAttributes(entries);
    return List.of(
        new AttributeViews.OfSpan(span),
        new AttributeViews.OfEvent(event),
        new AttributeViews.OfResource(resource));
  }

  @Test
  void putAtRefusesAnIndexThatIsNotTheKeys() {
    AttributeView view = new AttributeViews.OfSpan(Span.newBuilder());
    view.put("a", AnyValue.newBuilder().setIntValue(1).build());
    view.put("b", AnyValue.newBuilder().setIntValue(2).build());
    AnyValue three = AnyValue.newBuilder().setIntValue(3).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.putAt(0, "b", three))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("look the key up again");
    view.putAt(view.indexOf("b"), "b", three);

    assertThat(view.size()).isEqualTo(2);
    assertThat(view.get("a").getIntValue()).isEqualTo(1);
    assertThat(view.get("b").getIntValue()).isEqualTo(3);
  }

  @Test
  void indexOfFindsTheFirstEqualKeyOnEveryKindOfList() {
    Random random = new Random(11);
    for (int round = 0; round < 400; round++) {
      List<KeyValue> entries = new ArrayList<>();
      int n = random.nextInt(12);
      for (int i = 0; i < n; i++) {
        // Duplicates on purpose: the first one wins.
        entries.add(kv(KEYS[random.nextInt(KEYS.length)], i, random));
      }
      for (AttributeView view : views(entries)) {
        for (String key : KEYS) {
          String probe = random.nextBoolean() ? key : new String(key.toCharArray());
          assertThat(view.indexOf(probe))
              .as("%s in %s", key, entries)
              .isEqualTo(oracleIndexOf(entries, key));
        }
        assertThat(view.indexOf("not there")).isEqualTo(-1);
        for (int i = 0; i < n; i++) {
          // An entry's own key instance finds the first entry equal to it.
          assertThat(view.indexOf(view.key(i))).isEqualTo(oracleIndexOf(entries, view.key(i)));
        }
      }
    }
  }

  @Test
  void putAndPutAtWithTheIndexFoundReplaceTheFirstEqualKeyOrAppend() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      List<KeyValue> model = new ArrayList<>();
      for (int i = 0, n = random.nextInt(8); i < n; i++) {
        model.add(kv(KEYS[random.nextInt(KEYS.length)], i, random));
      }
      List<AttributeView> viaPut = views(model);
      List<AttributeView> viaPutAt = views(model);
      for (int w = 0; w < 6; w++) {
        String key = KEYS[random.nextInt(KEYS.length)];
        AnyValue value = Values.of("v" + w);
        // The definition, on a plain list.
        KeyValue written = KeyValue.newBuilder().setKey(key).setValue(value).build();
        int at = oracleIndexOf(model, key);
        if (at >= 0) {
          model.set(at, written);
        } else {
          model.add(written);
        }
        for (int k = 0; k < 3; k++) {
          viaPut.get(k).put(key, value);
          AttributeView v = viaPutAt.get(k);
          v.putAt(v.indexOf(key), key, value);
        }
      }
      for (int k = 0; k < 3; k++) {
        for (AttributeView view : List.of(viaPut.get(k), viaPutAt.get(k))) {
          assertThat(view.size()).isEqualTo(model.size());
          for (int i = 0; i < model.size(); i++) {
            assertThat(view.entry(i)).isEqualTo(model.get(i));
          }
        }
      }
    }
  }

  @Test
  void longListsStayRightThroughEveryKindOfWrite() {
    // Past HASHED_FROM entries a span's and an event's view look keys up by the hashes they keep
    // themselves: every write must keep them in step.
    Random random = new Random(23);
    for (int round = 0; round < 300; round++) {
      List<KeyValue> model = new ArrayList<>();
      for (int i = 0, n = random.nextInt(40); i < n; i++) {
        model.add(kv(key(random), i, random));
      }
      List<AttributeView> views = views(model);
      for (int op = 0; op < 60; op++) {
        String key = key(random);
        AnyValue value = Values.of("v" + op);
        KeyValue written = KeyValue.newBuilder().setKey(key).setValue(value).build();
        int at = oracleIndexOf(model, key);
        int kind = random.nextInt(6);
        switch (kind) {
          case 0: // put
            if (at >= 0) {
              model.set(at, written);
            } else {
              model.add(written);
            }
            views.forEach(v -> v.put(key, value));
            break;
          case 1: // putIfAbsent
            if (at < 0) {
              model.add(written);
            }
            views.forEach(v -> assertThat(v.putIfAbsent(key, value)).isEqualTo(at < 0));
            break;
          case 2: // remove
            if (at >= 0) {
              model.remove(at);
            }
            views.forEach(v -> assertThat(v.remove(key) != null).isEqualTo(at >= 0));
            break;
          case 3: // removeIf on a prefix
            String prefix = key.isEmpty() ? "x" : key.substring(0, 1);
            model.removeIf(e -> e.getKey().startsWith(prefix));
            views.forEach(v -> v.removeIf(k -> k.startsWith(prefix)));
            break;
          case 4: // setValue at an index
            if (!model.isEmpty()) {
              int index = random.nextInt(model.size());
              model.set(
                  index,
                  KeyValue.newBuilder().setKey(model.get(index).getKey()).setValue(value).build());
              views.forEach(v -> v.setValue(index, value));
            }
            break;
          default: // putAt with the index looked up
            if (at >= 0) {
              model.set(at, written);
            } else {
              model.add(written);
            }
            views.forEach(v -> v.putAt(v.indexOf(key), key, value));
            break;
        }
        for (AttributeView view : views) {
          assertThat(view.size()).isEqualTo(model.size());
          String probe = key(random);
          assertThat(view.indexOf(probe))
              .as("%s after op %s", probe, kind)
              .isEqualTo(oracleIndexOf(model, probe));
          assertThat(view.indexOf(new String(key.toCharArray())))
              .isEqualTo(oracleIndexOf(model, key));
        }
      }
      for (AttributeView view : views) {
        for (int i = 0; i < model.size(); i++) {
          assertThat(view.entry(i)).isEqualTo(model.get(i));
          assertThat(view.indexOf(model.get(i).getKey()))
              .isEqualTo(oracleIndexOf(model, model.get(i).getKey()));
        }
      }
    }
  }

  /** One of KEYS, or one of 30 generated keys, so that long lists have mostly distinct keys. */
  private static String key(Random random) {
    return random.nextInt(3) == 0
        ? KEYS[random.nextInt(KEYS.length)]
        : "gen_ai.key." + random.nextInt(30);
  }
}
