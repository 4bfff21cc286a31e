"""Typed facts: who does what (responsibility), by when (deadline), for whom (eligibility), how
much (amount / target). Every fact keeps its quote, document and section, so an answer built from
facts still cites the clause it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

FACT_TYPES = ("responsibility", "deadline", "eligibility", "amount")
ROLES = ("lead", "support")


@dataclass(frozen=True)
class Agency:
    """An agency as named in a document, with the id all its spellings share."""

    id: str  # "so-lao-dong-thuong-binh-xa-hoi", "uy-ban-nhan-dan-tinh", "民政局"
    name: str  # display name: "Sở Lao động, Thương binh và Xã hội", "民政局"
    mention: str = ""  # as written: "Sở Lao động - TB&XH", "绥宁县民政局"
    level: str | None = None  # "tỉnh", "huyện", "xã", "县", "市" … when the name says so

    @property
    def label(self) -> str:
        """What a reader sees: the level-qualified name ("县民政局") or the display name."""
        if self.level and self.level not in self.name and not self.id.startswith(("uy-ban", "hoi-dong")):
            return f"{self.level}{self.name}" if _cjk(self.name) else self.name
        return self.name


@dataclass(frozen=True)
class Responsibility:
    agency: Agency
    role: str  # "lead" or "support"
    task: str  # the duty clause, as written (list marker dropped)
    partners: tuple[Agency, ...] = ()  # agencies it works with ("phối hợp với …", "会同 …")
    context: str = ""  # the activity heading the duty belongs to, when the clause is bare


@dataclass(frozen=True)
class DateSpec:
    """A date or period as written, normalized.

    kind: "date" (one day), "period" (start..end; ``date`` is its end, the due date), "yearly"
    (a recurrence: ``rrule`` = "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15", ``month``/``day``),
    "relative" ("10个工作日内": no calendar date) or "unparsed" (seen, but not a valid date).
    """

    kind: str
    text: str  # the expression as written: "trước ngày 15 tháng 11 hằng năm"
    date: str | None = None  # ISO due date (one-off, or end of a period)
    start: str | None = None  # ISO start of a period
    end: str | None = None  # ISO end of a period
    rrule: str | None = None  # iCalendar RRULE for yearly ones
    month: int | None = None
    day: int | None = None  # None for "every November" (yearly month)
    span: tuple[int, int] = (0, 0)  # where ``text`` sits in the string it was found in

    @property
    def key(self) -> str:
        """The normalized value two readings of the same deadline share."""
        if self.kind == "yearly":
            return self.rrule or ""
        if self.kind == "period":
            return f"{self.start}..{self.end}"
        if self.kind == "relative":
            return f"relative:{self.text}"
        return self.date or f"unparsed:{self.text}"


@dataclass(frozen=True)
class Deadline:
    when: DateSpec
    what: str  # what is due, as written (the clause without the date, or the activity heading)
    agency: Agency | None = None  # who must meet it, when the clause says


@dataclass(frozen=True)
class Eligibility:
    kind: str  # "who" (a target group), "condition", "papers" (required documents)
    who: str  # who qualifies (or the dossier's name for papers)
    condition: str = ""  # on what condition, as written
    papers: tuple[str, ...] = ()  # required papers, one per item
    threshold: float | None = None  # "đạt từ 850 điểm trở lên" → 850
    unit: str = ""  # of the threshold: "điểm"


@dataclass(frozen=True)
class Amount:
    value: float  # the number as written, parsed: "5.444" → 5444.0, "2.9万张" → 2.9
    unit: str  # as written after the number, normalized: "triệu đồng", "万元", "%", "tờ/xã", "万张"
    measure: str  # what it measures: the clause around it
    kind: str  # "money", "percent", "rate", "count"
    target: bool = False  # a target to reach (objectives, "ít nhất", "不低于"), not a reported figure
    value_max: float | None = None  # "1-2家" → 2.0
    text: str = ""  # the number and unit as written


Payload = Responsibility | Deadline | Eligibility | Amount


@dataclass(frozen=True)
class Fact:
    type: str  # one of FACT_TYPES
    doc_id: str
    lang: str
    section: str  # heading path, " › " between levels, as citations show it
    quote: str  # verbatim from the document's cleaned text
    line: int  # 1-based line of the cleaned text the quote is on
    start: int  # character offsets of the quote in the cleaned text
    end: int
    payload: Payload = field(compare=False)

    @property
    def key(self) -> str:
        """The value a gold fact is matched on (see eval/facts.py)."""
        p = self.payload
        if isinstance(p, Responsibility):
            return f"{p.agency.id}|{p.role}"
        if isinstance(p, Deadline):
            return p.when.key
        if isinstance(p, Eligibility):
            return p.kind
        return f"{p.value:.12g}|{p.unit}"

    def summary(self) -> str:
        """One line for listings: "Sở Y tế (lead): chịu trách nhiệm …"."""
        p = self.payload
        if isinstance(p, Responsibility):
            return f"{p.agency.label} ({p.role}): {p.task}"
        if isinstance(p, Deadline):
            return f"{p.when.text}: {p.what}"
        if isinstance(p, Eligibility):
            extra = "; ".join(p.papers) if p.papers else p.condition
            return f"[{p.kind}] {p.who}" + (f": {extra}" if extra else "")
        return f"{p.text or f'{p.value:.12g} {p.unit}'} — {p.measure}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["key"] = self.key
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Fact:
        kind = d["type"]
        p = dict(d["payload"])
        if kind == "responsibility":
            payload: Payload = Responsibility(
                agency=Agency(**p["agency"]),
                role=p["role"],
                task=p["task"],
                partners=tuple(Agency(**a) for a in p.get("partners", ())),
                context=p.get("context", ""),
            )
        elif kind == "deadline":
            when = dict(p["when"])
            when["span"] = tuple(when.get("span", (0, 0)))
            payload = Deadline(
                when=DateSpec(**when),
                what=p["what"],
                agency=Agency(**p["agency"]) if p.get("agency") else None,
            )
        elif kind == "eligibility":
            payload = Eligibility(**{**p, "papers": tuple(p.get("papers", ()))})
        else:
            payload = Amount(**p)
        fields = {k: d[k] for k in ("type", "doc_id", "lang", "section", "quote", "line", "start", "end")}
        return cls(**fields, payload=payload)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)
