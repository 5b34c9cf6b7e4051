"""Moved to :mod:`borderhub.maps.cartography`; the old import path keeps working."""

from borderhub.maps.cartography import (  # noqa: F401
    CHINA_ALBERS,
    CHINA_EXTENT,
    COUNTRY_EDGE,
    LAND,
    MARITIME,
    NEIGHBOUR,
    NEIGHBOUR_EDGE,
    PROVINCE_EDGE,
    SCS_EXTENT,
    SCS_INSET_WEB,
    SEA,
    Choropleth,
    check_extent,
    join_prefectures,
    layer,
    make_choropleth,
    place_labels,
    web_rings,
)
