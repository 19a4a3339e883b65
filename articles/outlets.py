"""Known outlets: Latin slugs for the URLs researchers share, and the names they go by."""

KNOWN_OUTLETS: dict[str, tuple[str, str]] = {
    # name as found in a text or record -> (canonical Arabic name, slug)
    "الجزيرة": ("الجزيرة", "al-jazeera"),
    "الخليج الجديد": ("الخليج الجديد", "al-khaleej-al-jadeed"),
    "الدستور": ("الدستور", "al-dostor"),
    "إيلاف": ("إيلاف", "elaph"),
    "بي بي سي عربي": ("بي بي سي عربي", "bbc-arabic"),
    "BBC": ("بي بي سي عربي", "bbc-arabic"),
    "SkyNews": ("سكاي نيوز عربية", "sky-news-arabia"),
    "سكاي نيوز عربية": ("سكاي نيوز عربية", "sky-news-arabia"),
    "Alarabia": ("العربية", "al-arabiya"),
    "العربية": ("العربية", "al-arabiya"),
    "CNN": ("سي إن إن بالعربية", "cnn-arabic"),
    "France24": ("فرانس 24", "france24-arabic"),
    "فرانس 24": ("فرانس 24", "france24-arabic"),
    "فرانس برس": ("فرانس برس", "afp"),
}
