"""The web console's static files as HTTP caches and browsers see them, on a real server process: conditional GETs
answer 304 for every form of If-None-Match that matches (RFC 9110: `*`, weak tags, lists), and a missing file's 404
can be neither sniffed into HTML nor made to carry the caller's markup."""

import pytest

from conftest import raw


def get(url, path, **headers):
    return raw(url, "GET", path, headers=headers, auth=False)


def test_if_none_match_answers_304_for_star_weak_tags_and_lists(url):
    page = get(url, "/console/")
    if page.status == 503:
        pytest.skip("the console is not built")
    assert page.status == 200, page
    etag = page.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"'), etag

    for condition in ["*", etag, f"W/{etag}", f'"stale", {etag}', f'W/"stale", W/{etag}', f'"a",{etag}']:
        again = get(url, "/console/", **{"If-None-Match": condition})
        assert again.status == 304, (condition, again)
        assert again.body == b"" and again.headers["etag"] == etag, (condition, again.headers)

    for condition in ['"stale"', 'W/"stale"', etag[:-2] + '"']:
        fresh = get(url, "/console/", **{"If-None-Match": condition})
        assert fresh.status == 200 and fresh.body == page.body, (condition, fresh)


def test_a_missing_console_file_is_not_sniffable_and_does_not_reflect_markup(url):
    missing = get(url, "/console/%3Cscript%3Ealert(1)%3C/script%3E.html")
    assert missing.status == 404, missing
    assert missing.headers["content-type"].startswith("text/plain"), missing.headers
    assert missing.headers.get("x-content-type-options") == "nosniff", missing.headers
    assert b"<script>" not in missing.body, missing.body
    assert b"%3Cscript%3E" in missing.body, missing.body
