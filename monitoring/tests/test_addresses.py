import pytest

from monitoring.addresses import AddressError, canonical_url, check_host, site_of


def test_tracking_parameters_and_fragment_go_ids_stay():
    a = canonical_url("HTTP://Báo.Example.COM:80/tin/1?utm_source=fb&newsid=7&fbclid=x#top")
    b = canonical_url("http://báo.example.com/tin/1?newsid=7&utm_campaign=z&gclid=1")
    assert a == b
    assert "newsid=7" in a and "utm_" not in a and "fbclid" not in a and "#" not in a
    assert canonical_url("http://x.vn/tin?id=1") != canonical_url("http://x.vn/tin?id=2")


@pytest.mark.parametrize("bad", ["", "ftp://x.vn/a", "javascript:alert(1)", "tin/1"])
def test_not_an_http_address(bad):
    with pytest.raises(AddressError, match="không hợp lệ"):
        canonical_url(bad)


def test_site_drops_www():
    assert site_of("https://www.baohaiphong.vn/a") == "baohaiphong.vn"


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "0.0.0.0"],
)
def test_internal_addresses_refused(host):
    with pytest.raises(AddressError, match="nội bộ"):
        check_host(host, 80)


def test_internal_address_allowed_by_name():
    assert check_host("localhost", 80, {"localhost"}) == "127.0.0.1"
    assert check_host("127.0.0.1", 80, {"127.0.0.1"}) == "127.0.0.1"
