package io.tollgate.processor.genainormalize;

import static io.tollgate.processor.genainormalize.Fixture.json;
import static io.tollgate.processor.genainormalize.Fixture.parse;
import static io.tollgate.processor.genainormalize.Fixture.span;
import static io.tollgate.processor.genainormalize.Fixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.testing.Spans;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.FinishReasons;
import io.tollgate.processor.genainormalize.GenAiNormalizeConfig.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenInference RETRIEVER spans: {@code retrieval.documents.N.document.{id,score,content,metadata}}
 * → {@code gen_ai.retrieval.documents} ({@code [{"id", "score"}]}); content and metadata have no
 * target and stay.
 */
class OpenInferenceRetrievalMappingTest {

  private static final String NODE_0 = "7b3f9c2e-8d1a-4e5b-9f6c-0a1b2c3d4e5f";
  private static final String NODE_1 = "c1d2e3f4-a5b6-4c7d-8e9f-001122334455";
  private static final String META_0 =
      "{\"file_path\": \"/data/paul_graham_essay.txt\", \"file_name\": \"paul_graham_essay.txt\","
          + " \"file_type\": \"text/plain\", \"file_size\": 75042}";
  private static final String META_1 =
      "{\"file_path\": \"/data/paul_graham_essay.txt\", \"file_name\": \"paul_graham_essay.txt\","
          + " \"file_type\": \"text/plain\", \"file_size\": 75042, \"page_label\": \"2\"}";

  /**
   * As openinference-instrumentation-llama-index writes a VectorIndexRetriever span: the query on
   * retrieval start, one id/content/score/metadata group per node on retrieval end, the span kind
   * when the span ends.
   */
  private static Span.Builder llamaIndexRetrieverSpan() {
    return span(
        "VectorIndexRetriever.retrieve",
        "input.value", "What did the author do growing up?",
        "retrieval.documents.0.document.id", NODE_0,
        "retrieval.documents.0.document.content",
            "What I Worked On\n\nFebruary 2021\n\nBefore college the two main things I worked on",
        "retrieval.documents.0.document.score", 0.8123456789,
        "retrieval.documents.0.document.metadata", META_0,
        "retrieval.documents.1.document.id", NODE_1,
        "retrieval.documents.1.document.content",
            "I wrote what beginning writers were supposed to write then, and probably still are",
        "retrieval.documents.1.document.score", 0.79,
        "retrieval.documents.1.document.metadata", META_1,
        "openinference.span.kind", "RETRIEVER");
  }

  private static GenAiNormalizeConfig config(
      boolean removeOriginals, boolean overwrite, Sources sources) {
    return new GenAiNormalizeConfig(
        removeOriginals, overwrite, sources, List.of(), false, FinishReasons.CONVENTIONS);
  }

  @Test
  void llamaIndexRetrieverSpan_idsAndScoresBecomeTheDocumentsContentAndMetadataStay() {
    Fixture fixture = new Fixture();
    SpanRecord out = fixture.run(llamaIndexRetrieverSpan());

    assertThat(json(out, "gen_ai.retrieval.documents"))
        .isEqualTo(
            parse(
                """
                [
                  {"id": "7b3f9c2e-8d1a-4e5b-9f6c-0a1b2c3d4e5f", "score": 0.8123456789},
                  {"id": "c1d2e3f4-a5b6-4c7d-8e9f-001122334455", "score": 0.79}
                ]
                """));
    // The score is a JSON number, not a string.
    assertThat(json(out, "gen_ai.retrieval.documents").get(0).get("score").isNumber()).isTrue();
    assertThat(values(out))
        .contains(
            entry("gen_ai.operation.name", "retrieval"),
            entry("openinference.span.kind", "RETRIEVER"),
            entry("input.value", "What did the author do growing up?"),
            entry("retrieval.documents.0.document.metadata", META_0),
            entry("retrieval.documents.1.document.metadata", META_1))
        .containsKeys(
            "retrieval.documents.0.document.content", "retrieval.documents.1.document.content")
        .doesNotContainKeys(
            "retrieval.documents.0.document.id",
            "retrieval.documents.0.document.score",
            "retrieval.documents.1.document.id",
            "retrieval.documents.1.document.score");
    // Content and metadata are kept on purpose, not because the mapping does not know them.
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isZero();
    assertThat(fixture.counter(NormalizeMetrics.SPANS, "dialect", "openinference")).isEqualTo(1);
  }

  @Test
  void sparseOutOfOrderIndicesComeOutInIndexOrder_idsStringOrInt_scoresNumbers() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "retrieve",
                "openinference.span.kind", "RETRIEVER",
                "retrieval.documents.12.document.id", "doc-z",
                "retrieval.documents.3.document.score", "0.5",
                "retrieval.documents.3.document.id", 7,
                "retrieval.documents.0.document.id", "doc-a",
                "retrieval.documents.0.document.score", 0.9,
                "retrieval.documents.5.document.content", "a chunk without id or score",
                "retrieval.documents.7.document.id", "doc-q",
                "retrieval.documents.7.document.score", "high",
                "retrieval.documents.8.document.score", 2,
                "retrieval.documents.8.document.rank", 1));

    assertThat(json(out, "gen_ai.retrieval.documents"))
        .isEqualTo(
            parse(
                """
                [
                  {"id": "doc-a", "score": 0.9},
                  {"id": 7, "score": 0.5},
                  {"id": "doc-q"},
                  {"score": 2},
                  {"id": "doc-z"}
                ]
                """));
    assertThat(values(out))
        .containsOnly(
            entry("gen_ai.operation.name", "retrieval"),
            entry("openinference.span.kind", "RETRIEVER"),
            entry(
                "gen_ai.retrieval.documents",
                out.attributes().getString("gen_ai.retrieval.documents")),
            entry("retrieval.documents.5.document.content", "a chunk without id or score"),
            // Not a number: left as sent. A field the mapping does not know: left as sent.
            entry("retrieval.documents.7.document.score", "high"),
            entry("retrieval.documents.8.document.rank", 1L));
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isEqualTo(2);
  }

  @Test
  void removeOriginalsOffKeepsEveryDocumentAttribute() {
    SpanRecord out =
        new Fixture(config(false, false, Sources.all())).run(llamaIndexRetrieverSpan());
    assertThat(json(out, "gen_ai.retrieval.documents")).hasSize(2);
    assertThat(values(out))
        .contains(
            entry("retrieval.documents.0.document.id", NODE_0),
            entry("retrieval.documents.0.document.score", 0.8123456789),
            entry("retrieval.documents.1.document.id", NODE_1),
            entry("retrieval.documents.1.document.score", 0.79));
  }

  @Test
  void documentsAlreadyOnTheSpanWinUnlessOverwrite() {
    String existing = "[{\"id\": \"from-the-app\", \"score\": 1.0}]";
    Span.Builder s =
        llamaIndexRetrieverSpan().addAttributes(Spans.kv("gen_ai.retrieval.documents", existing));

    Fixture byDefault = new Fixture();
    SpanRecord kept = byDefault.run(s.clone());
    assertThat(values(kept))
        .contains(
            entry("gen_ai.retrieval.documents", existing),
            // They disagree: the source stays, so nothing is lost.
            entry("retrieval.documents.0.document.id", NODE_0),
            entry("retrieval.documents.1.document.score", 0.79));
    assertThat(byDefault.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isEqualTo(1);

    SpanRecord replaced = new Fixture(config(true, true, Sources.all())).run(s.clone());
    assertThat(json(replaced, "gen_ai.retrieval.documents")).hasSize(2);
    assertThat(json(replaced, "gen_ai.retrieval.documents").get(0).get("id").asText())
        .isEqualTo(NODE_0);
    assertThat(values(replaced)).doesNotContainKey("retrieval.documents.0.document.id");
  }

  @Test
  void theSameDocumentsAlreadyOnTheSpanMakeTheSourcesDuplicates() {
    String same =
        "[{\"id\":\""
            + NODE_0
            + "\",\"score\":0.8123456789},{\"id\":\""
            + NODE_1
            + "\",\"score\":0.79}]";
    Span.Builder s =
        llamaIndexRetrieverSpan().addAttributes(Spans.kv("gen_ai.retrieval.documents", same));
    Fixture fixture = new Fixture();
    SpanRecord out = fixture.run(s);
    assertThat(values(out))
        .contains(entry("gen_ai.retrieval.documents", same))
        .doesNotContainKeys(
            "retrieval.documents.0.document.id", "retrieval.documents.1.document.score");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "conflict")).isZero();
  }

  @Test
  void openInferenceSwitchedOffLeavesTheDocumentsAlone() {
    Sources noOpenInference = new Sources(true, true, false, true, true, true);
    SpanRecord out =
        new Fixture(config(true, false, noOpenInference)).run(llamaIndexRetrieverSpan());
    assertThat(values(out))
        .doesNotContainKeys("gen_ai.retrieval.documents", "gen_ai.operation.name")
        .contains(
            entry("retrieval.documents.0.document.id", NODE_0),
            entry("retrieval.documents.0.document.score", 0.8123456789));
  }

  /** openinference-instrumentation-langchain: LangChain documents often carry neither. */
  @Test
  void documentsWithoutIdOrScoreGiveNoTargetAndStay() {
    Fixture fixture = new Fixture();
    SpanRecord out =
        fixture.run(
            span(
                "VectorStoreRetriever",
                "input.value", "What is LangGraph?",
                "retrieval.documents.0.document.content", "LangGraph is a library for ...",
                "retrieval.documents.0.document.metadata",
                    "{\"source\": \"https://langchain-ai.github.io/langgraph/\"}",
                "openinference.span.kind", "RETRIEVER"));
    assertThat(values(out))
        .doesNotContainKey("gen_ai.retrieval.documents")
        .containsKeys(
            "retrieval.documents.0.document.content", "retrieval.documents.0.document.metadata");
    assertThat(fixture.counter(NormalizeMetrics.KEPT, "reason", "unknown_field")).isZero();
  }
}
