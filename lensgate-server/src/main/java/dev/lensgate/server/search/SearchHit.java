package dev.lensgate.server.search;

import dev.lensgate.server.index.StoredDocument;

/** One result before shaping: the stored document and its final score in [0, 1]. */
public record SearchHit(StoredDocument document, double score) {}
