"""The one exception mbat raises for bad input."""


class MBATError(ValueError):
    """Raised for any value, query, catalog or index that mbat cannot accept.

    The message names the offending value, the limit it broke and what to do about it.

    Example:
        >>> from mbat import MBATError, encode_json
        >>> try:
        ...     encode_json(float("nan"))
        ... except MBATError as e:
        ...     print(str(e).split(";")[0])
        the number nan at $ is not finite
    """
