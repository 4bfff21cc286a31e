"""Everything specific to Vietnamese: diacritics, words, headings, question cues, document metadata."""

from __future__ import annotations

import re
import unicodedata

# --- metadata ------------------------------------------------------------------------------------
# (document numbers, issuing bodies, dates of issue, implementation periods)

# --- end metadata --------------------------------------------------------------------------------
