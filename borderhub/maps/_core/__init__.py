"""What the map modules share: words and styles, checked inputs, the page's Leaflet parts.

Private to :mod:`borderhub.maps`: :mod:`~borderhub.maps._core.style` (tier and mode styles,
the text in Chinese and English, escaping), :mod:`~borderhub.maps._core.inputs` (the map
functions' inputs checked once) and :mod:`~borderhub.maps._core.web` (Leaflet elements,
basemaps and the offline vector boundary layers of the HTML page).
"""
