package io.tollgate.core.component;

/** Creates extensions. */
public interface ExtensionFactory<C extends ComponentConfig> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.EXTENSION;
  }

  Extension create(C config, ComponentContext context);
}
