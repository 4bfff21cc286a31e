"""`policyqa who`, `deadlines`, `facts` and `eval --facts`, as a user runs them (no model loaded)."""

import datetime as dt
import json

import pytest
from icalendar import Calendar

from policyqa.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_who_health_department_in_kon_tum(capsys, index_dir):
    code, out, _ = _run(capsys, "who", "Sở Y tế", "--doc", "Kon Tum", "--index", str(index_dir))
    assert code == 0
    assert "Chủ trì / thực hiện" in out and "Phối hợp" in out
    assert "chịu trách nhiệm về kết quả giám sát tiêu chí 8,9,10" in out
    assert "Mục: III. TỔ CHỨC THỰC HIỆN › 7. Sở Y tế" in out
    assert "đã kết thúc" in out


def test_who_json(capsys, index_dir):
    code, out, _ = _run(capsys, "who", "so ldtbxh", "--json", "--index", str(index_dir))
    data = json.loads(out)
    assert code == 0 and data["agencies"][0]["id"] == "so-lao-dong-thuong-binh-xa-hoi"
    assert any(d["lead"] for d in data["documents"])


def test_deadlines_leave_out_ended_plans_unless_asked(capsys, index_dir, tmp_path):
    # the bundled Kon Tum plan ran "đến năm 2020": its yearly deadlines are not upcoming any more
    code, out, err = _run(capsys, "deadlines", "--index", str(index_dir))
    assert code == 0 and "trước ngày 15 tháng 11 hằng năm" not in out and "--include-ended" in err
    assert "trước ngày 30 tháng 11 hàng năm" in out  # the Hà Tĩnh plan runs to 2030
    ics = tmp_path / "x.ics"
    code, out, err = _run(capsys, "deadlines", "--include-ended", "--ics", str(ics), "--index", str(index_dir))
    assert code == 0 and "wrote" in err
    assert "trước ngày 15 tháng 11 hằng năm" in out
    cal = Calendar.from_ical(ics.read_bytes())
    assert dt.date(2020, 10, 28) in {ev.get("dtstart").dt for ev in cal.walk("VEVENT")}
    ends = [ev.get("rrule")["UNTIL"][0] for ev in cal.walk("VEVENT") if ev.get("rrule")]
    assert ends and all(until <= dt.date(2030, 12, 31) for until in ends)  # none recurs forever
    kon_tum = [ev for ev in cal.walk("VEVENT") if "001_" in str(ev.get("description")) and ev.get("rrule")]
    assert kon_tum and all(ev.get("rrule")["UNTIL"][0] == dt.date(2020, 12, 31) for ev in kon_tum)


def test_deadlines_range_json(capsys, index_dir):
    args = ["deadlines", "--doc", "001", "--include-ended", "--json", "--index", str(index_dir)]
    code, out, _ = _run(capsys, *args, "--from", "2018-01-01", "--to", "2018-12-31")
    items = json.loads(out)
    assert code == 0 and items and all(i["occurrences"][0].startswith("2018-") for i in items)
    code, out, _ = _run(capsys, *args, "--from", "2026-01-01", "--to", "2026-12-31")
    assert not [i for i in json.loads(out) if i["yearly"]]  # the plan ended in 2020: nothing recurs in 2026


def test_facts_listing(capsys, index_dir):
    code, out, _ = _run(capsys, "facts", "--type", "amount", "--doc", "Thanh Hóa", "--json", "--index", str(index_dir))
    facts = json.loads(out)
    assert code == 0 and any(f["key"] == "5444|triệu đồng" for f in facts)


@pytest.mark.parametrize("argv, message", [
    (["who", "Sở Y tế"], "policyqa build"),  # no index
    (["deadlines", "--doc", "Hà Nội"], "no document matches"),
    (["deadlines", "--from", "2026-13-01"], "not a date"),
])
def test_errors_are_one_line_messages(capsys, index_dir, tmp_path, argv, message):
    index = tmp_path if argv == ["who", "Sở Y tế"] else index_dir
    code, _, err = _run(capsys, *argv, "--index", str(index))
    assert code == 2 and message in err and "Traceback" not in err


def test_eval_facts_writes_the_report(capsys, tmp_path):
    code, out, _ = _run(capsys, "eval", "--facts", "--out", str(tmp_path))
    assert code == 0
    assert "| responsibility | vi |" in out and "| amount | zh |" in out
    metrics = json.loads((tmp_path / "facts_metrics.json").read_text("utf-8"))
    assert set(metrics["cells"]) == {f"{t}/{l}" for t in ("responsibility", "deadline", "eligibility", "amount") for l in ("vi", "zh")}
    assert (tmp_path / "facts_report.md").is_file() and (tmp_path / "facts_errors.jsonl").is_file()


@pytest.mark.parametrize("command", ["who", "deadlines", "facts"])
def test_help(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "no model is loaded" in capsys.readouterr().out


def test_the_console_command_ends_quickly_without_losing_output(index_dir, tmp_path):
    """`policyqa deadlines` as a process: it skips tearing down its heap at exit, yet its piped
    (block-buffered) output and the calendar file it wrote are complete."""
    import subprocess
    import sys

    ics = tmp_path / "x.ics"
    done = subprocess.run([sys.executable, "-m", "policyqa.cli", "deadlines", "--include-ended", "--ics", str(ics), "--index", str(index_dir)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "trước ngày 15 tháng 11 hằng năm" in done.stdout and "wrote" in done.stderr
    assert Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
