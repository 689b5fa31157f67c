package io.tollgate.core.component;

/** Creates exporters. One exporter instance (and one queue) serves every pipeline that lists it. */
public interface ExporterFactory<C extends ComponentConfig> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.EXPORTER;
  }

  Exporter create(C config, ComponentContext context);
}
