import httpx

from scraper.courts.va_gdc.session import is_rate_limit_page, page_text


def test_meta_charset_is_honoured_when_the_header_names_none():
    body = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>' \
           '<body>PEÑA, MARISOL R</body></html>'
    response = httpx.Response(200, headers={"Content-Type": "text/html"}, content=body.encode("latin-1"))
    assert "PEÑA, MARISOL R" in page_text(response)


def test_header_charset_wins():
    body = "<html><body>MUÑOZ</body></html>"
    response = httpx.Response(200, headers={"Content-Type": "text/html;charset=UTF-8"}, content=body.encode())
    assert "MUÑOZ" in page_text(response)


def test_rate_limit_page_found_through_markup():
    page = "<html><body><p>You have exceeded the <b>rate\nlimit</b><br>for this application.</p></body></html>"
    assert is_rate_limit_page(httpx.Response(200, text=page))
    assert not is_rate_limit_page(httpx.Response(200, text="<html><body>rate limits apply</body></html>"))


def test_an_unusable_meta_charset_falls_back_and_never_stops_the_court():
    for charset in ("idna", "undefined", "punycode", "no-such-charset"):
        body = f'<html><head><meta charset="{charset}"></head><body>O’BRIEN, ROSA</body></html>'
        plain = httpx.Response(200, headers={"Content-Type": "text/html"}, content=body.encode("utf-8"))
        assert "O’BRIEN, ROSA" in page_text(plain), charset
        cp1252 = httpx.Response(200, headers={"Content-Type": "text/html; charset=windows-1252"},
                                content=body.encode("windows-1252"))
        assert "O’BRIEN, ROSA" in page_text(cp1252), charset
