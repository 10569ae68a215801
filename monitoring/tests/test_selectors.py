import pytest

from monitoring.models import Place
from monitoring.selectors import gazetteer
from orgs.models import Area

pytestmark = pytest.mark.django_db


def test_gazetteer_comes_from_the_registry_and_the_offices_places(settings):
    settings.LONGDAN_PLACE, settings.LONGDAN_CITY = "Hòa Bình", "Hải Phòng"
    Area.objects.create(name="Tổ dân phố Đông Sơn", former_ward="Thủy Hà")
    Place.objects.create(name="chợ Đôn", kind=Place.Kind.LANDMARK)
    gaz = gazetteer()
    assert gaz.judge("Phường Hoà Bình họp dân").relevance == "ward"  # the other spelling
    assert gaz.judge("Người dân TDP Đông Sơn phản ánh").places == ["Tổ dân phố Đông Sơn"]
    assert gaz.judge("Trụ sở phường Thủy Hà cũ bỏ hoang").relevance == "ward"
    verdict = gaz.judge("Tiểu thương chợ Đôn phản ánh giá thuê ki-ốt tăng")
    assert verdict.relevance == "ward" and verdict.places == ["chợ Đôn"]
    assert gaz.judge("Tiểu thương chợ Hàng phản ánh").relevance == "none"


def test_office_menu_links_the_monitoring_page(client, vanphong):
    client.force_login(vanphong)
    assert 'href="/theo-doi-bao-chi/"' in client.get("/").content.decode()
