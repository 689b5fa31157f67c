package io.tollgate.core.component;

/** Creates receivers. One receiver instance serves every pipeline that lists its id. */
public interface ReceiverFactory<C extends ComponentConfig> extends ComponentFactory<C> {

  @Override
  default ComponentKind kind() {
    return ComponentKind.RECEIVER;
  }

  /**
   * @param next the pipelines' entry; already a fan-out when several pipelines share the receiver
   */
  Receiver create(C config, ComponentContext context, TracesConsumer next);
}
