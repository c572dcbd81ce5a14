"""Text shared by the fact and event rules: the layout of a clean text (blocks, sentences, clauses) and
the gazetteers (commodities, metric cues, places, companies) found in one Aho-Corasick pass."""
