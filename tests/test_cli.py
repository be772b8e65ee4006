"""`luoshi extract` as a user runs it: files in, JSON Lines out, bad files reported, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = (
    "市政府召开常务会议\n"
    "4月8日上午，市长王建华主持召开市政府常务会议。副市长刘志远出席会议。\n"
    "会议强调，一要加快项目前期工作，确保6月底前全部开工。二要强化要素保障，缩短审批时限。\n"
)
KEYS = ["file", "encoding", "text", "title", "subtitle", "date", "leaders", "attendees", "speakers",
        "topics", "directives", "places", "methods", "repairs", "warnings"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "luoshi.cli", *args], capture_output=True, text=True)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {
        "utf8": tmp_path / "utf8.txt",
        "gbk": tmp_path / "gbk.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.bin",
    }
    out["utf8"].write_bytes(REPORT.encode("utf-8"))
    out["gbk"].write_bytes(REPORT.encode("gb18030"))
    out["empty"].write_bytes(b"")
    out["binary"].write_bytes(bytes(range(256)) * 64)
    return out


def test_json_lines_in_the_order_given(files: dict[str, Path]) -> None:
    proc = run("extract", str(files["gbk"]), str(files["utf8"]), "--json")
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["file"] for o in objs] == [str(files["gbk"]), str(files["utf8"])]
    for o in objs:
        assert list(o) == KEYS
        assert o["leaders"] == ["王建华"]
        assert [d["deadline_basis"] for d in o["directives"]] == ["6月底前", None]
        for d in o["directives"]:
            assert o["text"][d["span"][0] : d["span"][1]] == d["text"]
    assert objs[0]["encoding"] == "gb18030" and objs[1]["encoding"] == "utf-8"


def test_bad_files_give_an_error_object_and_the_run_goes_on(files: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    proc = run("extract", str(files["empty"]), str(files["binary"]), str(missing), str(tmp_path),
               str(files["utf8"]), "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(objs) == 5
    errors = [o.get("error") for o in objs]
    assert all(errors[:4]) and errors[4] is None
    assert "empty" in errors[0]
    assert "binary" in errors[1]
    assert "No such file" in errors[2]
    assert "directory" in errors[3]


def test_size_limit_is_a_clear_message(files: dict[str, Path]) -> None:
    proc = run("extract", str(files["utf8"]), "--json", "--max-bytes", "100")
    assert proc.returncode == 1
    assert "limit" in json.loads(proc.stdout)["error"]


def test_human_output(files: dict[str, Path]) -> None:
    proc = run("extract", str(files["utf8"]))
    assert proc.returncode == 0
    assert "leaders: 王建华" in proc.stdout
    assert "1. (王建华) 加快项目前期工作" in proc.stdout


def test_ten_megabyte_file_gives_a_result(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes((REPORT * (10_000_000 // len(REPORT.encode("utf-8")) + 1)).encode("utf-8"))
    proc = run("extract", str(big), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    obj = json.loads(proc.stdout)
    assert obj["title"] == "市政府召开常务会议"
    assert len(obj["text"]) > 3_000_000
