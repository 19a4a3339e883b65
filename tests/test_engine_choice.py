"""MARSAD_SEARCH_URL picks the engine: unset gives Whoosh, an http(s) URL gives OpenSearch, and
anything else is refused by name (never a silent fall-back to an empty Whoosh index)."""

import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured

from articles.engines import OPENSEARCH, WHOOSH, get_backend


def test_unset_gives_the_embedded_whoosh_engine(settings):
    settings.MARSAD_SEARCH_URL = ""
    assert type(get_backend()).__name__ == WHOOSH.rsplit(".", 1)[1]


def test_an_http_url_gives_opensearch(settings):
    if importlib.util.find_spec("opensearchpy") is None:
        pytest.skip("opensearch-py is not installed")
    settings.MARSAD_SEARCH_URL = "http://127.0.0.1:9/marsad"  # made, not contacted
    backend = get_backend()
    assert type(backend).__name__ == OPENSEARCH.rsplit(".", 1)[1]
    assert backend.alias == "marsad"


@pytest.mark.parametrize(
    "url", ["127.0.0.1:9200/marsad", "opensearch://host:9200/marsad", "HTTP//host/marsad"]
)
def test_a_value_that_is_not_an_http_url_is_refused(settings, url):
    settings.MARSAD_SEARCH_URL = url
    with pytest.raises(ImproperlyConfigured, match="MARSAD_SEARCH_URL"):
        get_backend()
