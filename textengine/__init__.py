"""Vietnamese text engine of Lòng Dân: a plain Python package (no Django import).

normalize  — canonical spelling, legacy encodings, folding (matching form), syllables
mask       — personal data masked before storage and analysis
tokenize   — teen-code aware features on the folded text
suggest    — topic and attitude suggestion (lexicon from day one, learned model when present)
model      — versioned linear model, trained with scikit-learn, predicted without it
pipeline   — the batch pipeline
datasets   — labelled JSONL files; evaluate — a model measured on them

The command line (``longdan text ...``) is ``longdan.commands.text``.
"""

from textengine.normalize import fold, normalize, syllables

__all__ = ["fold", "normalize", "syllables"]
