"""The one exception svgtok raises for bad input, and the list of what it drops instead of raising."""


class SVGError(ValueError):
    """Raised for any SVG, path or token sequence that svgtok cannot accept.

    The message names the offending value, the limit it broke and what to do about it.

    Example:
        >>> from svgtok import SVGError, parse
        >>> try:
        ...     parse("<svg")
        ... except SVGError as e:
        ...     print(str(e).split(" (")[0])
        the document is not well-formed XML
    """


def note(dropped: list[str], feature: str) -> None:
    """List a feature that normalization dropped or approximated, once."""
    if feature not in dropped:
        dropped.append(feature)
