"""With DEBUG off (as `make run` and production serve), a wrong address and a server error answer
with the portal's own pages, not Django's debug pages."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path


def broken_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken_view), path("", include("portal.urls"))]

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_an_unknown_address_is_the_portals_404():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "الصفحة غير موجودة" in page and 'class="site-header"' in page  # our page, our layout
    assert "Page not found at" not in page and "URLconf" not in page  # not Django's debug page


@override_settings(DEBUG=False, ROOT_URLCONF="tests.test_error_pages")
def test_a_server_error_is_the_portals_500():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "حدث خطأ في الخادم" in page and "A server error occurred" in page
    assert "RuntimeError" not in page and "Traceback" not in page
