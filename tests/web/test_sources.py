"""Ingesting through the page (every encoding, the same bytes twice, refusals, paste, limits) and
the source pages: the list, a source with its highlighted text, and the text as found."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.web.desk_helpers import HEADLINES, REPORT, encoded, on_desk, upload
from tests.web.helpers import ROLES, page_text

from luoshi.desk.models import Proposal
from luoshi.sources.models import Source

SUPERVISORS = {"supervisor", "other_supervisor"}


def _post(client: Client, files=(), **fields):
    return client.post("/sources/new/", {"files": list(files), **fields}, follow=True)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5", "utf-16"])
def test_upload_in_each_encoding(org, as_user, encoding) -> None:
    data = encoded(REPORT, encoding)
    r = _post(as_user("supervisor"), [upload(f"防汛会议.{encoding}.txt", data)])
    assert r.status_code == 200 and r.redirect_chain == [("/sources/new/", 302)]
    source = Source.objects.get()
    assert bytes(source.raw) == data and source.encoding.startswith(encoding.split("-")[0][:4])
    assert source.title == "市政府召开防汛工作专题会议" and source.name == f"防汛会议.{encoding}.txt"
    assert sorted(source.proposals.values_list("headline", flat=True)) == sorted(HEADLINES)
    text = page_text(r)
    assert "新文件" in text and f"防汛会议.{encoding}.txt" in text and "5 条拟办事项" in text
    assert f'href="/sources/{source.pk}/desk/"' in r.content.decode()
    # the report is shown once: a reload shows the empty form
    assert "导入结果" not in page_text(as_user("supervisor").get("/sources/new/"))


def test_the_same_bytes_twice_find_the_first_source(org, as_user) -> None:
    client = as_user("supervisor")
    data = encoded(REPORT, "gb18030")
    _post(client, [upload("纪要.txt", data)])
    r = _post(client, [upload("纪要-副本.txt", data)])
    source = Source.objects.get()
    assert Proposal.objects.count() == 5
    text = page_text(r)
    assert "已导入过" in text and "完全相同的文件此前已导入" in text
    assert f'href="/sources/{source.pk}/"' in r.content.decode()


def test_refused_files_say_why_and_the_others_go_in(org, as_user, monkeypatch) -> None:
    monkeypatch.setattr("luoshi.sources.forms.MAX_SOURCE_BYTES", 2000)
    files = [
        upload("通知.docx", b"PK\x03\x04" + b"\x00" * 200, "application/vnd.openxmlformats"),
        upload("防汛会议.txt", REPORT.encode("utf-8")),
        upload("扫描件.pdf", b"%PDF-1.7\n" + b"\x00" * 100, "application/pdf"),
        upload("伪装.txt", b"%PDF-1.4 binary"),
        upload("表格.xlsx", b"PK\x03\x04rest"),
        upload("图片.png", b"\x89PNG\r\n"),
        upload("长文.txt", ("会议强调，一要抓好春耕生产。" * 200).encode("utf-8")),  # 8 400 bytes
        upload("空白.txt", b""),
        upload("无扩展名", "市政府召开常务会议\n会议强调，一要做好春耕备耕。\n".encode()),
    ]
    r = _post(as_user("supervisor"), files)
    assert r.status_code == 200
    assert sorted(Source.objects.values_list("name", flat=True)) == ["无扩展名", "防汛会议.txt"]
    items = {m.group(1): m.group(2) for m in re.finditer(
        r'<strong class="report-name">([^<]*)</strong>\s*<p class="reason">([^<]*)</p>', r.content.decode(), re.S)}
    assert set(items) == {"通知.docx", "扫描件.pdf", "伪装.txt", "表格.xlsx", "图片.png", "长文.txt", "空白.txt"}
    assert "无法读取" in items["通知.docx"]  # a damaged Word file
    assert "无法读取" in items["扫描件.pdf"] and "无法读取" in items["伪装.txt"]
    assert "Excel 文件" in items["表格.xlsx"]
    assert "Word（.docx、.doc、.wps）、PDF、OFD" in items["图片.png"]
    assert "超过 2.0\xa0KB" in items["长文.txt"]
    assert "空" in items["空白.txt"]
    # in the order they were sent
    names = re.findall(r'<strong class="report-name">(.*?)</strong>', r.content.decode())
    assert names == [f.name for f in files]


def test_a_word_report_goes_in_and_is_shown_as_found(org, as_user) -> None:
    import io

    import docx

    document = docx.Document()
    for line in REPORT.strip().split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    client = as_user("supervisor")
    r = _post(client, [upload("防汛会议.docx", buffer.getvalue(),
                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
    assert r.status_code == 200
    source = Source.objects.get()
    assert (source.name, source.encoding) == ("防汛会议.docx", "docx")
    assert bytes(source.raw) == buffer.getvalue()  # the file kept as it came
    assert source.proposals.count() == 5
    item = source.items.filter(kind="directive").order_by("ordinal").first()
    raw = client.get(f"/sources/{source.pk}/items/{item.pk}/raw/")
    assert raw.status_code == 200 and "抓紧修复水毁工程" in page_text(raw)


def test_a_count_limit_applies_to_one_upload(org, as_user, monkeypatch) -> None:
    monkeypatch.setattr("luoshi.sources.forms.MAX_UPLOAD_FILES", 2)
    texts = ["市政府召开常务会议\n会议强调，一要做好春耕备耕。\n", "市政府召开常务会议\n会议强调，一要抓好森林防火。\n",
             "市政府召开常务会议\n会议强调，一要稳定粮食生产。\n"]
    r = _post(as_user("supervisor"), [upload(f"{n}.txt", t.encode()) for n, t in enumerate(texts)])
    assert Source.objects.count() == 2
    assert "“2.txt”未读取：每次最多导入 2 个文件。" in page_text(r)


def test_an_upload_too_large_is_refused_before_it_is_read(org, as_user, monkeypatch) -> None:
    monkeypatch.setattr("luoshi.desk.source_views.MAX_UPLOAD_BYTES", 1000)
    r = as_user("supervisor").post("/sources/new/", {"files": [upload("大文件.txt", b"x" * 3000)]})
    assert r.status_code == 413
    assert "本次上传共" in page_text(r) and "所选文件未保存，请重新选择。" in page_text(r)
    assert not Source.objects.exists()


def test_paste_a_text(org, as_user) -> None:
    r = _post(as_user("supervisor"), text=REPORT, name="防汛会议纪要")
    source = Source.objects.get()
    assert source.name == "防汛会议纪要" and source.title == "市政府召开防汛工作专题会议"
    assert bytes(source.raw) == REPORT.encode("utf-8") and source.proposals.count() == 5
    assert "新文件" in page_text(r)
    # without a name, one is made
    _post(as_user("supervisor"), text="县政府召开常务会议\n会议强调，一要抓好秋粮收购。\n")
    assert Source.objects.filter(name__startswith="粘贴文本 ").count() == 1


def test_paste_too_long_for_the_box_is_explained(org, as_user, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    r = as_user("supervisor").post("/sources/new/", {"text": REPORT * 10, "name": "长文"})
    assert r.status_code == 413 and "粘贴的文本过长" in page_text(r)
    assert not Source.objects.exists()


def test_nothing_given_or_nothing_taken(org, as_user) -> None:
    client = as_user("supervisor")
    r = client.post("/sources/new/", {"text": "  ", "name": ""})
    assert r.status_code == 400 and "请选择文件，或粘贴文本。" in page_text(r)
    r = client.post("/sources/new/", {"files": [upload("a.doc", b"\xd0\xcf\x11\xe0rest")], "text": "粘贴的内容保留"})
    # the paste has no meeting in it but is still a text: it goes in; the .doc does not
    assert r.status_code == 302
    r = client.post("/sources/new/", {"files": [upload("a.doc", b"\xd0\xcf\x11\xe0rest")]})
    assert r.status_code == 400 and "没有导入任何文件" in page_text(r) and "Word 文件" in page_text(r)


@pytest.mark.parametrize("who", ROLES)
def test_only_supervisors_ingest(org, as_user, who) -> None:
    client = as_user(who)
    assert client.get("/sources/new/").status_code == (200 if who in SUPERVISORS else 403)
    r = client.post("/sources/new/", {"files": [upload("防汛会议.txt", REPORT.encode())]})
    assert r.status_code == (302 if who in SUPERVISORS else 403)
    assert Source.objects.exists() == (who in SUPERVISORS)
    if who == "other_supervisor":
        assert Source.objects.get().organisation == org.other_org


def test_anonymous_users_are_sent_to_sign_in(org, client) -> None:
    source, _ = on_desk(org)
    for url in ("/sources/", "/sources/new/", f"/sources/{source.pk}/", f"/sources/{source.pk}/desk/",
                f"/sources/{source.pk}/raw/", f"/sources/{source.pk}/original/", "/routing/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url
    r = client.post("/sources/new/", {"files": [upload("a.txt", REPORT.encode())]})
    assert r.status_code == 302 and not Source.objects.exclude(pk=source.pk).exists()


def test_csrf_is_checked_on_upload(org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.supervisor)
    r = client.post("/sources/new/", {"files": [upload("a.txt", REPORT.encode())]})
    assert r.status_code == 403 and not Source.objects.exists()


def test_the_source_page_shows_the_text_highlighted(org, as_user) -> None:
    source, _proposals = on_desk(org)
    r = as_user("supervisor").get(f"/sources/{source.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    directive = source.items.get(kind="directive", ordinal=1)
    assert re.search(rf'<mark class="hl hl-directive hl-pending" id="item-{directive.pk}" data-n="3" '
                     rf'data-items="{directive.pk}"', html)  # the third item of the text
    assert '<span class="hl-leader" title="领导">周文华</span>' in html
    assert '<span class="hl-attendee" title="出席">孙立</span>' in html
    assert '<span class="hl-speaker" title="发言人 / 建议提出人">吴刚</span>' in html
    assert '<span class="hl-deadline" title="时限用语 → 2024-06-30">6月底前</span>' in html
    assert "hl-suggestion" in html
    text = page_text(r)
    assert "utf-8" in text and source.checksum[:12] in text and "督查员" in text
    assert "进入审核台" in text and "待审核 5 条" in text


def test_the_text_as_found(org, as_user) -> None:
    data = encoded(REPORT, "big5")
    r = _post(as_user("supervisor"), [upload("防汛.big5.txt", data)])
    source = Source.objects.get()
    item = source.items.get(kind="directive", ordinal=1)
    r = as_user("supervisor").get(f"/sources/{source.pk}/items/{item.pk}/raw/")
    assert r.status_code == 200
    hit = re.search(r'<mark id="hit">(.*?)</mark>', r.content.decode()).group(1)
    assert hit == source.raw_text[item.raw_start:item.raw_end]
    assert "一要抓緊修復水毀工程" in hit  # traditional, as it was sent
    assert "抓紧修复水毁工程" in page_text(r)  # and how it reads
    whole = as_user("supervisor").get(f"/sources/{source.pk}/raw/")
    assert "周文華" in page_text(whole)
    original = as_user("supervisor").get(f"/sources/{source.pk}/original/")
    assert original.content == data and original["Content-Type"] == "application/octet-stream"
    assert "attachment" in original["Content-Disposition"]
    # an item of another source is not found here
    other, _ = on_desk(org)
    assert as_user("supervisor").get(f"/sources/{other.pk}/items/{item.pk}/raw/").status_code == 404


def test_markup_in_the_raw_text_is_shown_as_text(org, as_user) -> None:
    html = ("<html><body><h1>市政府召开常务会议</h1><p>会议强调，一要抓好<b>春耕</b>生产，确保4月底前完成播种。二要做好森林防火。</p>"
            "<script>alert(1)</script></body></html>")
    _post(as_user("supervisor"), [upload("纪要.html", html.encode(), "text/html")])
    source = Source.objects.get()
    item = source.items.get(kind="directive", ordinal=1)
    r = as_user("supervisor").get(f"/sources/{source.pk}/items/{item.pk}/raw/")
    body = r.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "&lt;b&gt;春耕&lt;/b&gt;" in re.search(r'<mark id="hit">(.*?)</mark>', body).group(1)
