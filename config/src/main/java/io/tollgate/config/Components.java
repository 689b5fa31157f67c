package io.tollgate.config;

import io.tollgate.config.internal.Suggestions;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.ReceiverFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The component factories the collector knows, by kind and type. Types and aliases are looked up
 * per kind: {@code otlp} is the receiver's type and also an alias of the {@code otlp_grpc}
 * exporter.
 *
 * <p>{@link #load()} finds factories with {@link ServiceLoader}, so a jar on the class path adds
 * components; {@link #of} builds an explicit registry (tests, embedding), like the Go collector's
 * static factory map. Either way two factories that claim one name within a kind are refused.
 */
public final class Components {

  private static final List<Class<?>> SPIS =
      List.of(
          ReceiverFactory.class, ProcessorFactory.class, ExporterFactory.class,
          ExtensionFactory.class);

  private final Map<ComponentKind, List<ComponentFactory<?>>> byKind;
  private final Map<ComponentKind, Map<String, ComponentFactory<?>>> byName;

  private Components(Collection<? extends ComponentFactory<?>> factories) {
    byKind = new EnumMap<>(ComponentKind.class);
    byName = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      byKind.put(kind, new ArrayList<>());
      byName.put(kind, new LinkedHashMap<>());
    }
    for (ComponentFactory<?> f : factories) {
      ComponentKind kind = f.kind();
      try {
        ComponentId.of(f.type());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(f.getClass().getName() + ": " + e.getMessage(), e);
      }
      Map<String, ComponentFactory<?>> names = byName.get(kind);
      List<String> claimed = new ArrayList<>();
      claimed.add(f.type());
      claimed.addAll(f.aliases());
      for (String name : claimed) {
        ComponentFactory<?> other = names.putIfAbsent(name, f);
        if (other != null && other != f) {
          throw new IllegalStateException(
              "two "
                  + kind.displayName()
                  + " factories claim the name \""
                  + name
                  + "\": "
                  + other.getClass().getName()
                  + " and "
                  + f.getClass().getName()
                  + "; remove one of the jars from the class path");
        }
      }
      byKind.get(kind).add(f);
    }
    for (List<ComponentFactory<?>> list : byKind.values()) {
      list.sort(Comparator.comparing(ComponentFactory::type));
    }
  }

  /** The factories found on the class path of this class. */
  public static Components load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : Components.class.getClassLoader());
  }

  /**
   * The factories {@link ServiceLoader} finds in {@code classLoader}.
   *
   * @throws IllegalStateException when a factory cannot be loaded or two claim one name
   */
  public static Components load(ClassLoader classLoader) {
    List<ComponentFactory<?>> found = new ArrayList<>();
    for (Class<?> spi : SPIS) {
      try {
        for (Object f : ServiceLoader.load(spi, classLoader)) {
          found.add((ComponentFactory<?>) f);
        }
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException(
            "a component on the class path cannot be loaded: " + e.getMessage(), e);
      }
    }
    return new Components(found);
  }

  /** An explicit registry. */
  public static Components of(ComponentFactory<?>... factories) {
    return new Components(List.of(factories));
  }

  /** An explicit registry. */
  public static Components of(Collection<? extends ComponentFactory<?>> factories) {
    return new Components(factories);
  }

  /** The factory for a type or alias of this kind. */
  public Optional<ComponentFactory<?>> find(ComponentKind kind, String typeOrAlias) {
    return Optional.ofNullable(byName.get(kind).get(typeOrAlias));
  }

  /** Every factory of this kind, by type. */
  public List<ComponentFactory<?>> factories(ComponentKind kind) {
    return List.copyOf(byKind.get(kind));
  }

  /** Every type and alias of this kind. */
  public Set<String> names(ComponentKind kind) {
    return Set.copyOf(byName.get(kind).keySet());
  }

  /** The known name of this kind closest to {@code typed}, for "did you mean". */
  Optional<String> closest(ComponentKind kind, String typed) {
    return Suggestions.closest(typed, byName.get(kind).keySet());
  }
}
