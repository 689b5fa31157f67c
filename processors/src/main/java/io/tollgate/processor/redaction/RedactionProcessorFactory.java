package io.tollgate.processor.redaction;

import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.processor.redaction.internal.Anonymizer;
import io.tollgate.processor.redaction.internal.Builtin;
import io.tollgate.processor.redaction.internal.Operator;
import io.tollgate.processor.redaction.internal.PresidioAnalyzer;
import io.tollgate.processor.redaction.internal.TextScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code redaction} processor: removes personal data and secrets from GenAI content before it
 * is buffered or exported, with built-in recognisers and, optionally, a Presidio analyzer.
 */
public final class RedactionProcessorFactory implements ProcessorFactory<RedactionConfig> {

  public static final String TYPE = "redaction";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public Class<RedactionConfig> configClass() {
    return RedactionConfig.class;
  }

  @Override
  public RedactionConfig defaultConfig() {
    return RedactionConfig.defaults();
  }

  @Override
  public String description() {
    return "Redacts personal data and secrets in GenAI content (built-in recognisers, optional"
        + " Presidio).";
  }

  @Override
  public Processor create(RedactionConfig config, ComponentContext context, TracesConsumer next) {
    PresidioAnalyzer presidio =
        config.presidio().enabled()
            ? new PresidioAnalyzer(
                config.presidio(),
                context.scheduler(),
                context.workers(),
                context.meterRegistry(),
                RedactionProcessor.componentTags(context))
            : null;
    return new RedactionProcessor(
        config, context, next, scanner(config), anonymizer(config), presidio);
  }

  static TextScanner scanner(RedactionConfig config) {
    List<TextScanner.CustomPattern> custom = new ArrayList<>();
    for (RecognizersConfig.Custom c : config.recognizers().custom()) {
      custom.add(
          new TextScanner.CustomPattern(
              c.name(),
              Pattern.compile(c.regex()),
              TextScanner.Validator.valueOf(c.validator().name()),
              c.score()));
    }
    return new TextScanner(
        Builtin.enabled(config.recognizers().disabled()), custom, config.allowList());
  }

  static Anonymizer anonymizer(RedactionConfig config) {
    Map<String, Operator> ops = new HashMap<>();
    for (Map.Entry<String, OperatorConfig> e : config.operators().entrySet()) {
      if (!e.getKey().equals(RedactionConfig.DEFAULT_OPERATOR)) {
        ops.put(e.getKey(), operator(e.getValue()));
      }
    }
    return new Anonymizer(
        ops,
        operator(config.operatorFor(RedactionConfig.DEFAULT_OPERATOR)),
        config.hashKey().reveal().getBytes(StandardCharsets.UTF_8),
        config.hashLength());
  }

  private static Operator operator(OperatorConfig c) {
    switch (c.type()) {
      case MASK:
        return Operator.mask(c.maskingChar().codePointAt(0), c.charsToMask(), c.fromEnd());
      case HASH:
        return Operator.of(Operator.Kind.HASH);
      case REDACT:
        return Operator.of(Operator.Kind.REDACT);
      case KEEP:
        return Operator.of(Operator.Kind.KEEP);
      case REPLACE:
      default:
        return Operator.replace(c.newValue());
    }
  }
}
