package io.tollgate.core.component;

/** Creates processors. Each pipeline that lists a processor id gets its own instance. */
public interface ProcessorFactory<C extends ComponentConfig> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.PROCESSOR;
  }

  Processor create(C config, ComponentContext context, TracesConsumer next);
}
