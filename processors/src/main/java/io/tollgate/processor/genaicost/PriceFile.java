package io.tollgate.processor.genaicost;

import java.util.List;

/**
 * A price table as stored in YAML: the bundled one and a user's {@code price_file}.
 *
 * @param asOf the date (ISO {@code yyyy-MM-dd}) the prices were read from their sources
 * @param prices the entries, in file order
 */
record PriceFile(String asOf, List<PriceEntry> prices) {

  PriceFile {
    prices = prices == null ? List.of() : List.copyOf(prices);
  }
}
