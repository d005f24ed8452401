"""The one exception svglm raises for bad input."""


class SVGLMError(ValueError):
    """Raised for an unusable prompt, argument or checkpoint; the message says what to change."""
