package io.tollgate.config.testing;

import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Extension;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Stability;

/** An extension of type {@code noop} with one setting. */
public final class NoopExtensionFactory implements ExtensionFactory<NoopExtensionFactory.Config> {

  public record Config(String endpoint) implements ComponentConfig {}

  @Override
  public String type() {
    return "noop";
  }

  @Override
  public Stability stability() {
    return Stability.DEVELOPMENT;
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("localhost:55679");
  }

  @Override
  public Extension create(Config config, ComponentContext context) {
    return new Extension() {};
  }
}
