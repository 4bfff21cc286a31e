"""Everything specific to Chinese: words (jieba), headings, question cues, document metadata."""

from __future__ import annotations

import re

# --- metadata ------------------------------------------------------------------------------------
# (文号, issuing bodies, dates of issue, implementation periods)

# --- end metadata --------------------------------------------------------------------------------
