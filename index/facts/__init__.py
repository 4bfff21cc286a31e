"""Who does what, by when, for whom: responsibilities, deadlines, eligibility and amounts as facts.

Extracted by rules from every document at build time (``extract.extract_document``), stored in the
build folder as facts.sqlite (``store.write_facts``, called by ``index.store.write_build``), and
read without the embedding model. Functions the CLI and the bot call (``source``: an Engine, a
StoredIndex, an index or build folder, or the facts.sqlite file):

    query.who(source, "Sở Y tế", doc="Kon Tum")   → WhoResult (duties per document, lead / support, deadlines)
    query.deadlines(source, doc=…, start=…, end=…) → [DeadlineItem] by next due date
    query.facts(source, type="amount", doc=…)      → [Fact]
    calendar.to_ics(items)                          → bytes of an .ics file (yearly deadlines as RRULEs)
    render.who_text / deadlines_text / facts_text    → plain text; *_json → JSON-ready dicts
    answers.answer_with_facts(...)                  → used by Engine.ask for deadline / responsibility questions

Language-specific patterns live in the facts sections of index/lang/vi.py and zh.py.
"""
