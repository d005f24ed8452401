"""svglm: the SVG language model — vocabulary, model, HMN embedding init, grammar-constrained generation."""

from svglm.errors import SVGLMError

__all__ = ["SVGLMError"]
